package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.JobPage;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.jobs.query.JobSearch;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.query.PageKey;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.ui.fx.Banner;
import dev.jobdeck.core.jobs.query.JobState;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.text.NumberFormat;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The jobs table and its pager: one page of the jobs that match, in the store's order (decisions 25 and 30), which
 * page it is ("51–100 of 1,234"), and the operator's selection (whose focused job the detail shows).
 */
public final class JobTableModel {

    public static final int PAGE_SIZE = 50;
    static final String NO_JOBS = "No jobs";

    private final JobsQuery.Current query;
    private final JobDetailModel detail;
    private final Banner banner;
    private List<UUID> selectedIds = List.of();
    private boolean replacingRows;
    /** The keys' notice last shown in the banner, if any (see {@link #keysNotice}). */
    private String keysNoticeShown;

    // Properties
    private final ReadOnlyObjectWrapper<JobSort> sort = new ReadOnlyObjectWrapper<>(JobSort.UPDATED);
    private final ReadOnlyBooleanWrapper descending = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(NO_JOBS);
    private final ObservableList<JobRow> rows = FXCollections.observableArrayList();
    private final ObservableList<JobRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyStringWrapper pageText = new ReadOnlyStringWrapper(NO_JOBS);
    private final ReadOnlyBooleanWrapper hasPrevious = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper hasNext = new ReadOnlyBooleanWrapper(false);
    /** How many jobs match in all, as of the last read; "more than" when {@link #matchingTotalCapped}. */
    private final ReadOnlyLongWrapper matchingTotal = new ReadOnlyLongWrapper(0);
    private final ReadOnlyBooleanWrapper matchingTotalCapped = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canRetry = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canDelete = new ReadOnlyBooleanWrapper(false);

    JobTableModel(JobsQuery.Current query, JobDetailModel detail, Banner banner) {
        this.query = query;
        this.detail = detail;
        this.banner = banner;
    }

    static PageRequest firstPage(JobSort sort, boolean descending) {
        return PageRequest.first(sort, descending, PAGE_SIZE);
    }

    // Showing a read

    /** Shows a page read for {@code shown}, the query as it still is. */
    void show(JobPage page, JobsQuery shown) {
        if (page.rows().isEmpty() && page.request().key().isPresent()) {
            // The rows around the key were deleted or moved on under the operator's feet: back to the first page.
            query.change(shown.withPage(firstPage(sort.get(), descending.get()), 1));
            return;
        }
        long position = shown.position();
        if (page.request().isLast()) {
            position = page.totalCapped() ? -1 : Math.max(1, page.total() - page.rows().size() + 1);
        } else if (page.request().backwards() && !page.hasPrevious()) {
            position = 1;
        }
        if (position != shown.position()) {
            query.set(shown.withPage(shown.page(), position));
        }
        if (!page.rows().equals(rows)) {
            replacingRows = true;
            try {
                rows.setAll(page.rows());
            } finally {
                replacingRows = false;
            }
        }
        // Jobs that left this page (filtered out, moved on) are no longer selected; the detail stays.
        Set<UUID> visible = new HashSet<>();
        rows.forEach(row -> visible.add(row.jobId()));
        selectedIds = selectedIds.stream().filter(visible::contains).toList();
        pageText.set(pageText(page, position));
        emptyText.set(emptyText(shown.filter()));
        hasPrevious.set(page.hasPrevious());
        hasNext.set(page.hasNext());
        matchingTotalCapped.set(page.totalCapped());
        matchingTotal.set(page.total());
        updateSelectionState();
        showKeysNotice(keysNotice(page, shown.page(), shown.filter()));
    }

    /** The notice shown while the keys are built, in the banner unless the banner tells something else. */
    private void showKeysNotice(String notice) {
        boolean ours = keysNoticeShown != null && banner.text().equals(keysNoticeShown);
        if (!notice.isEmpty() && (ours || banner.tone() == Banner.Tone.NONE)) {
            banner.show(Banner.Tone.INFO, notice);
            keysNoticeShown = notice;
        } else if (notice.isEmpty() && ours) {
            banner.clear();
            keysNoticeShown = null;
        }
    }

    /**
     * While the store's one-time build of sort keys and words runs (decision 30): a shown column's order falls back to
     * Updated, and a word search finds only the jobs done so far; the screen says so rather than hiding jobs.
     */
    static String keysNotice(JobPage page, PageRequest asked, JobFilter filter) {
        if (page.keysBuilding().isEmpty()) {
            return "";
        }
        String done = page.keysBuilding().get() + "\u00a0% of jobs done";
        if (page.sortedOtherwise(asked)) {
            return "Sorting by this column and word search are being prepared: " + done + ". Shown by Updated meanwhile.";
        }
        if (filter.hasSearch() && JobSearch.SearchKind.of(filter.search()) == JobSearch.SearchKind.TEXT) {
            return "Word search is being prepared: " + done + "; meanwhile it finds only the jobs done so far by their words.";
        }
        return "";
    }

    /** "51–100 of 1,234", "of more than 10,000" when the count stopped early; the last page counts from the end. */
    static String pageText(JobPage page, long position) {
        if (page.rows().isEmpty()) {
            return NO_JOBS;
        }
        String of = page.totalCapped() ? "more than " + format(JobSearch.COUNT_LIMIT) : format(page.total());
        if (position < 1) {
            return "last " + format(page.rows().size()) + " of " + of;
        }
        long first = position;
        long last = first + page.rows().size() - 1;
        return format(first) + "\u2013" + format(last) + " of " + of;
    }

    /** What the table says when no job matches: a search that matches nothing says what a search can match. */
    static String emptyText(JobFilter filter) {
        if (filter.hasSearch()) {
            return "No jobs match \u201c" + filter.search() + "\u201d. Search by an address or its start, @domain,"
                    + " words of a subject or an error reply, or a job id.";
        }
        return filter.state().map(state -> "No " + JobQueries.title(state).toLowerCase() + " jobs").orElse(NO_JOBS);
    }

    static String format(long number) {
        return NumberFormat.getIntegerInstance().format(number);
    }

    // Commands

    /** Orders the table by {@code newSort}, from the first page. */
    public void sortBy(JobSort newSort, boolean newDescending) {
        if (newSort == sort.get() && newDescending == descending.get()) {
            return;
        }
        sort.set(newSort);
        descending.set(newDescending);
        query.change(query.get().withPage(firstPage(newSort, newDescending), 1));
    }

    public void nextPage() {
        JobsQuery current = query.get();
        if (hasNext.get() && !rows.isEmpty()) {
            query.change(current.withPage(current.page().after(rows.get(rows.size() - 1).pageKey()),
                    current.position() < 1 ? -1 : current.position() + rows.size()));
        }
    }

    public void previousPage() {
        JobsQuery current = query.get();
        if (hasPrevious.get() && !rows.isEmpty()) {
            query.change(current.withPage(current.page().before(rows.get(0).pageKey()),
                    current.position() < 1 ? -1 : Math.max(1, current.position() - PAGE_SIZE)));
        }
    }

    public void firstPage() {
        query.change(query.get().withPage(firstPage(sort.get(), descending.get()), 1));
    }

    public void lastPage() {
        query.change(query.get().withPage(firstPage(sort.get(), descending.get()).last(), -1));
    }

    /**
     * The table's selection, {@code focused} being the job whose detail to show. Ignored while the rows are
     * being replaced: the table drops its selection then, and the view selects the same jobs again after.
     */
    public void select(Collection<UUID> jobIds, UUID focused) {
        if (replacingRows) {
            return;
        }
        selectedIds = List.copyOf(new LinkedHashSet<>(jobIds));
        UUID detailId = focused != null && selectedIds.contains(focused) ? focused
                : selectedIds.isEmpty() ? null : selectedIds.get(0);
        JobsQuery current = query.get();
        if (!Objects.equals(detailId, current.detailId())) {
            if (detailId == null) {
                query.set(current.withDetail(null));
                detail.show(Optional.empty());
            } else {
                query.change(current.withDetail(detailId));
            }
        }
        updateSelectionState();
    }

    private void updateSelectionState() {
        Set<UUID> selected = Set.copyOf(selectedIds);
        canRetry.set(rows.stream().anyMatch(row -> selected.contains(row.jobId())
                && JobCommands.REQUEUEABLE.contains(row.state())));
        canDelete.set(rows.stream().anyMatch(row -> selected.contains(row.jobId()) && row.state() != JobState.DELETED));
    }

    /** The question to ask before deleting more than one job ("Delete 12 jobs?"); empty when none is needed. */
    public Optional<String> deleteQuestion() {
        return selectedIds.size() > 1 ? Optional.of("Delete " + format(selectedIds.size()) + " jobs?") : Optional.empty();
    }

    // Accessors

    public List<UUID> selectedIds() {
        return selectedIds;
    }

    public boolean isReplacingRows() {
        return replacingRows;
    }

    public ObservableList<JobRow> rows() {
        return rowsView;
    }

    public ReadOnlyObjectProperty<JobSort> sortProperty() {
        return sort.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty descendingProperty() {
        return descending.getReadOnlyProperty();
    }

    /** The table's placeholder: what to say when no job matches. */
    public ReadOnlyStringProperty emptyTextProperty() {
        return emptyText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty pageTextProperty() {
        return pageText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasPreviousProperty() {
        return hasPrevious.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasNextProperty() {
        return hasNext.getReadOnlyProperty();
    }

    /** How many jobs match in all, as of the last read. */
    public ReadOnlyLongProperty matchingTotalProperty() {
        return matchingTotal.getReadOnlyProperty();
    }

    /** Whether the count stopped early: the total is "more than" {@link JobSearch#COUNT_LIMIT}. */
    public ReadOnlyBooleanProperty matchingTotalCappedProperty() {
        return matchingTotalCapped.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRetryProperty() {
        return canRetry.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canDeleteProperty() {
        return canDelete.getReadOnlyProperty();
    }
}
