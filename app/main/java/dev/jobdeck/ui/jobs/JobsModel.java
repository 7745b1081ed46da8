package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.core.jobs.JobDetail;
import dev.jobdeck.core.jobs.JobFilter;
import dev.jobdeck.core.jobs.JobPage;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.jobs.JobRunrTables;
import dev.jobdeck.core.jobs.JobSort;
import dev.jobdeck.core.jobs.PageKey;
import dev.jobdeck.core.jobs.PageRequest;
import dev.jobdeck.core.jobs.RecurringEmail;
import dev.jobdeck.ui.LatestValue;
import dev.jobdeck.ui.LivePoll;
import dev.jobdeck.ui.Refresher;
import dev.jobdeck.ui.TaskRunner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jobrunr.jobs.states.StateName;

import java.sql.SQLException;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The Jobs dashboard: live counts per state, one page of the jobs table, the selected job's detail and
 * the recurring e-mails, plus the operator's commands on them. Reads happen off the JavaFX thread (the
 * {@link TaskRunner} for one-off reads and commands, the {@link Refresher} while the screen is live);
 * every property is written on the JavaFX thread only.
 */
public final class JobsModel {

    public static final int PAGE_SIZE = 50;
    /** Twice a second is live enough for a dashboard and keeps H2 and the UI thread quiet. */
    public static final long LIVE_PERIOD_MILLIS = 500;
    static final String NO_JOBS = "No jobs";

    /**
     * What the next read asks for; immutable so the refresh thread can read it without locking. {@code position} is
     * the page's first row counted from 1, for the pager's "51–100"; -1 when not known (the last page of a count
     * that stopped early).
     */
    record Query(JobFilter filter, PageRequest page, long position, UUID detailId, boolean withRecurring) {

        Query withPage(PageRequest newPage, long newPosition) {
            return new Query(filter, newPage, newPosition, detailId, withRecurring);
        }

        Query withFilter(JobFilter newFilter) {
            return new Query(newFilter, PageRequest.first(page.sort(), page.descending(), page.limit()), 1, detailId,
                    withRecurring);
        }

        Query withDetail(UUID newDetail) {
            return new Query(filter, page, position, newDetail, withRecurring);
        }

        Query withRecurring(boolean shown) {
            return new Query(filter, page, position, detailId, shown);
        }
    }

    /** One consistent read of everything the screen shows, handed to the UI in one piece. */
    record Snapshot(Query query, JobCounts counts, JobPage page, Optional<JobDetail> detail,
                    Optional<List<RecurringEmail>> recurring, String error) {

        static Snapshot failed(Query query, Exception problem) {
            return new Snapshot(query, null, null, Optional.empty(), Optional.empty(),
                    problem.getMessage() == null ? problem.getClass().getSimpleName() : problem.getMessage());
        }
    }

    private final JobQueries queries;
    private final JobCommands commands;
    private final HostSupervisor hosts;
    private final TaskRunner tasks;
    private final Clock clock;
    private final Banner banner = new Banner();
    private final JobDetailModel detail;
    private final RecurringModel recurring;

    // The refresh thread reads this; the JavaFX thread replaces it whenever filter, page or selection change.
    private volatile Query query = new Query(JobFilter.ALL, PageRequest.first(PAGE_SIZE), 1, null, false);
    private List<UUID> selectedIds = List.of();
    private boolean replacingRows;
    private boolean bannerFromLoad;
    /** The keys' notice last shown in the banner, if any (see {@link #keysNotice}). */
    private String keysNoticeShown;
    private final LivePoll live = new LivePoll();

    // Properties
    private final ReadOnlyObjectWrapper<Optional<StateName>> filter = new ReadOnlyObjectWrapper<>(Optional.empty());
    private final ReadOnlyObjectWrapper<JobSort> sort = new ReadOnlyObjectWrapper<>(JobSort.UPDATED);
    private final ReadOnlyBooleanWrapper descending = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(NO_JOBS);
    private final ReadOnlyStringWrapper searchProblem = new ReadOnlyStringWrapper("");
    private final Map<StateName, ReadOnlyStringWrapper> counts = new EnumMap<>(StateName.class);
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
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);

    public JobsModel(JobQueries queries, JobCommands commands, HostSupervisor hosts, TaskRunner tasks, Clock clock) {
        this.queries = queries;
        this.commands = commands;
        this.hosts = hosts;
        this.tasks = tasks;
        this.clock = clock;
        this.detail = new JobDetailModel(clock.getZone());
        this.recurring = new RecurringModel(commands, tasks, banner, this::refreshNow);
        for (StateName state : JobCounts.SHOWN) {
            counts.put(state, new ReadOnlyStringWrapper("0"));
        }
    }

    // Reading

    /** Reads counts, the current page, the selected job and (if shown) the recurring list. Blocks on H2. */
    Snapshot load() throws SQLException {
        Query asked = query;
        JobCounts jobCounts = queries.counts();
        JobPage page = queries.page(asked.filter(), asked.page());
        Optional<JobDetail> job = asked.detailId() == null ? Optional.empty() : queries.detail(asked.detailId());
        Optional<List<RecurringEmail>> recurringJobs = asked.withRecurring() ? Optional.of(queries.recurring()) : Optional.empty();
        return new Snapshot(asked, jobCounts, page, job, recurringJobs, null);
    }

    private Snapshot loadQuietly() {
        try {
            return load();
        } catch (SQLException | RuntimeException e) {
            return Snapshot.failed(query, e);
        }
    }

    /** Reads everything once now, e.g. after a command, without waiting for the next live tick. */
    public void refreshNow() {
        tasks.run(this::loadQuietly, this::apply, problem -> banner.failed("Reading the jobs", problem));
    }

    /**
     * Starts reading every {@link #LIVE_PERIOD_MILLIS} on the refresher's thread. Results go through a
     * {@link LatestValue}, so a slow UI thread gets the newest snapshot once instead of a backlog.
     */
    public void startLive(Refresher refresher, Executor uiThread) {
        if (live.isRunning()) {
            return;
        }
        LatestValue<Snapshot> latest = new LatestValue<>(uiThread, this::apply);
        live.start(refresher, LIVE_PERIOD_MILLIS, () -> latest.publish(loadQuietly()));
    }

    public void stopLive() {
        live.stop();
    }

    public boolean isLive() {
        return live.isRunning();
    }

    /** Shows a snapshot. Parts read for an older filter, page or selection are dropped; counts always apply. */
    void apply(Snapshot snapshot) {
        if (snapshot.error() != null) {
            banner.show(Banner.Tone.DANGER, "Cannot read the jobs: " + snapshot.error());
            bannerFromLoad = true;
            return;
        }
        if (bannerFromLoad) {
            banner.clear();
            bannerFromLoad = false;
        }
        for (StateName state : JobCounts.SHOWN) {
            counts.get(state).set(format(snapshot.counts().of(state)));
        }
        Query current = query;
        if (snapshot.query().filter().equals(current.filter()) && snapshot.query().page().equals(current.page())) {
            showPage(snapshot.page(), current);
        }
        if (Objects.equals(snapshot.query().detailId(), current.detailId())) {
            detail.show(snapshot.detail());
        }
        snapshot.recurring().ifPresent(recurring::show);
    }

    private void showPage(JobPage page, Query shown) {
        if (page.rows().isEmpty() && page.request().key().isPresent()) {
            // The rows around the key were deleted or moved on under the operator's feet: back to the first page.
            query = shown.withPage(PageRequest.first(sort.get(), descending.get(), PAGE_SIZE), 1);
            refreshNow();
            return;
        }
        long position = shown.position();
        if (page.request().isLast()) {
            position = page.totalCapped() ? -1 : Math.max(1, page.total() - page.rows().size() + 1);
        } else if (page.request().backwards() && !page.hasPrevious()) {
            position = 1;
        }
        if (position != shown.position()) {
            query = shown.withPage(shown.page(), position);
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
        if (filter.hasSearch() && JobRunrTables.SearchKind.of(filter.search()) == JobRunrTables.SearchKind.TEXT) {
            return "Word search is being prepared: " + done + "; meanwhile it finds only the jobs done so far by their words.";
        }
        return "";
    }

    /** "51–100 of 1,234", "of more than 10,000" when the count stopped early; the last page counts from the end. */
    static String pageText(JobPage page, long position) {
        if (page.rows().isEmpty()) {
            return NO_JOBS;
        }
        String of = page.totalCapped() ? "more than " + format(JobRunrTables.COUNT_LIMIT) : format(page.total());
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

    private static String format(long number) {
        return NumberFormat.getIntegerInstance().format(number);
    }

    // Commands

    /** Shows only jobs in {@code state} (all when empty), from the first page. */
    public void setFilter(Optional<StateName> state) {
        if (state == null || state.equals(filter.get())) {
            return;
        }
        filter.set(state);
        query = query.withFilter(query.filter().withState(state));
        refreshNow();
    }

    /**
     * Shows only jobs the search box's text finds (see {@link JobRunrTables.SearchKind}: a job id or its start, an
     * address or its start, {@code @domain}, a subject's start), from the first page; blank shows all. Text longer
     * than a search takes is refused with a message by the box, and the table stays as it was.
     */
    public void setSearch(String text) {
        JobFilter wanted;
        try {
            wanted = query.filter().withSearch(text);
        } catch (IllegalArgumentException e) {
            searchProblem.set(e.getMessage());
            return;
        }
        searchProblem.set("");
        if (wanted.equals(query.filter())) {
            return;
        }
        query = query.withFilter(wanted);
        refreshNow();
    }

    /** Orders the table by {@code newSort}, from the first page. */
    public void sortBy(JobSort newSort, boolean newDescending) {
        if (newSort == sort.get() && newDescending == descending.get()) {
            return;
        }
        sort.set(newSort);
        descending.set(newDescending);
        query = query.withPage(PageRequest.first(newSort, newDescending, PAGE_SIZE), 1);
        refreshNow();
    }

    // What matches, for "Act on all matching" (decision 27)

    /** The jobs the table shows, on every page: state, search and time range. */
    public JobFilter matching() {
        return query.filter();
    }

    /** Shows only jobs last updated in this range (either end open when empty), from the first page. */
    public void setRange(Optional<Instant> since, Optional<Instant> until) {
        JobFilter current = query.filter();
        if (since.equals(current.since()) && until.equals(current.until())) {
            return;
        }
        query = query.withFilter(current.withRange(since, until));
        refreshNow();
    }

    /** How many jobs match in all, as of the last read. */
    public ReadOnlyLongProperty matchingTotalProperty() {
        return matchingTotal.getReadOnlyProperty();
    }

    /** Whether the count stopped early: the total is "more than" {@link JobRunrTables#COUNT_LIMIT}. */
    public ReadOnlyBooleanProperty matchingTotalCappedProperty() {
        return matchingTotalCapped.getReadOnlyProperty();
    }

    /** A state card click: filter to that state, or back to all when it is already the filter. */
    public void toggleFilter(StateName state) {
        setFilter(filter.get().equals(Optional.of(state)) ? Optional.empty() : Optional.of(state));
    }

    public List<Optional<StateName>> filterChoices() {
        List<Optional<StateName>> choices = new ArrayList<>();
        choices.add(Optional.empty());
        for (StateName state : JobCounts.SHOWN) {
            choices.add(Optional.of(state));
        }
        return choices;
    }

    public static String filterTitle(Optional<StateName> state) {
        return state == null ? "" : state.map(JobQueries::title).orElse("All");
    }

    public void nextPage() {
        Query current = query;
        if (hasNext.get() && !rows.isEmpty()) {
            query = current.withPage(current.page().after(PageKey.of(rows.get(rows.size() - 1))),
                    current.position() < 1 ? -1 : current.position() + rows.size());
            refreshNow();
        }
    }

    public void previousPage() {
        Query current = query;
        if (hasPrevious.get() && !rows.isEmpty()) {
            query = current.withPage(current.page().before(PageKey.of(rows.get(0))),
                    current.position() < 1 ? -1 : Math.max(1, current.position() - PAGE_SIZE));
            refreshNow();
        }
    }

    public void firstPage() {
        Query current = query;
        query = current.withPage(PageRequest.first(sort.get(), descending.get(), PAGE_SIZE), 1);
        refreshNow();
    }

    public void lastPage() {
        Query current = query;
        query = current.withPage(PageRequest.first(sort.get(), descending.get(), PAGE_SIZE).last(), -1);
        refreshNow();
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
        if (!Objects.equals(detailId, query.detailId())) {
            query = query.withDetail(detailId);
            if (detailId == null) {
                detail.show(Optional.empty());
            } else {
                refreshNow();
            }
        }
        updateSelectionState();
    }

    /** Whether the recurring list is on screen, so the live read includes it only then. */
    public void showRecurring(boolean shown) {
        query = query.withRecurring(shown);
        if (shown) {
            refreshNow();
        }
    }

    private void updateSelectionState() {
        Set<UUID> selected = Set.copyOf(selectedIds);
        canRetry.set(rows.stream().anyMatch(row -> selected.contains(row.jobId())
                && JobCommands.REQUEUEABLE.contains(row.state())));
        canDelete.set(rows.stream().anyMatch(row -> selected.contains(row.jobId()) && row.state() != StateName.DELETED));
    }

    public void retrySelected() {
        requeue(selectedIds);
    }

    /** The detail pane's "Retry this job". */
    public void retryShownJob() {
        detail.jobId().ifPresent(id -> requeue(List.of(id)));
    }

    private void requeue(List<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        busy.set(true);
        tasks.run(() -> commands.requeue(ids), outcome -> {
            busy.set(false);
            showOutcome("Requeued", outcome);
            refreshNow();
        }, problem -> {
            busy.set(false);
            banner.failed("Retrying", problem);
        });
    }

    /** The question to ask before deleting more than one job ("Delete 12 jobs?"); empty when none is needed. */
    public Optional<String> deleteQuestion() {
        return selectedIds.size() > 1 ? Optional.of("Delete " + format(selectedIds.size()) + " jobs?") : Optional.empty();
    }

    public void deleteSelected() {
        List<UUID> ids = selectedIds;
        if (ids.isEmpty()) {
            return;
        }
        busy.set(true);
        tasks.run(() -> commands.delete(ids), outcome -> {
            busy.set(false);
            showOutcome("Deleted", outcome);
            refreshNow();
        }, problem -> {
            busy.set(false);
            banner.failed("Deleting", problem);
        });
    }

    private void showOutcome(String verb, JobCommands.Outcome outcome) {
        bannerFromLoad = false;
        String changed = verb + " " + jobs(outcome.changed());
        if (outcome.skipped().isEmpty()) {
            banner.show(Banner.Tone.SUCCESS, changed);
        } else {
            banner.show(outcome.changed() == 0 ? Banner.Tone.DANGER : Banner.Tone.INFO,
                    changed + "; skipped " + outcome.skipped().size() + ": " + String.join("; ", outcome.skipped()));
        }
    }

    private static String jobs(long count) {
        return format(count) + (count == 1 ? " job" : " jobs");
    }

    /** Stops the in-process host (its in-flight jobs go back to the queue at once) and starts a fresh one. */
    public void restartHost() {
        busy.set(true);
        tasks.run(() -> {
            int handedBack = hosts.restartInProcess();
            return "Host " + hosts.inProcessHostName() + " started; " + handedBack + " in-flight "
                    + (handedBack == 1 ? "job" : "jobs") + " handed back to the queue";
        }, message -> {
            busy.set(false);
            bannerFromLoad = false;
            banner.show(Banner.Tone.SUCCESS, message);
            refreshNow();
        }, problem -> {
            busy.set(false);
            banner.failed("Restarting the host", problem);
        });
    }

    // Accessors

    public JobDetailModel detail() {
        return detail;
    }

    public RecurringModel recurring() {
        return recurring;
    }

    public Banner banner() {
        return banner;
    }

    public ZoneId zone() {
        return clock.getZone();
    }

    public Instant now() {
        return clock.instant();
    }

    public List<UUID> selectedIds() {
        return selectedIds;
    }

    public boolean isReplacingRows() {
        return replacingRows;
    }

    public ReadOnlyObjectProperty<Optional<StateName>> filterProperty() {
        return filter.getReadOnlyProperty();
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

    /** Why the search box's text was refused; empty when it was taken. */
    public ReadOnlyStringProperty searchProblemProperty() {
        return searchProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty countProperty(StateName state) {
        return counts.get(state).getReadOnlyProperty();
    }

    public ObservableList<JobRow> rows() {
        return rowsView;
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

    public ReadOnlyBooleanProperty canRetryProperty() {
        return canRetry.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canDeleteProperty() {
        return canDelete.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
