package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.core.jobs.JobDetail;
import dev.jobdeck.core.jobs.JobFilter;
import dev.jobdeck.core.jobs.JobPage;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.JobRow;
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

    /** What the next read asks for; immutable so the refresh thread can read it without locking. */
    /** {@code recipient}: part of an address to search for (case-insensitive), empty for all. */
    record Query(Optional<StateName> filter, String recipient, int offset, UUID detailId, boolean withRecurring,
                 Optional<Instant> since, Optional<Instant> until) {

        /** The jobs the table shows and "Act on all matching" acts on. */
        JobFilter matching() {
            return new JobFilter(filter, recipient, since, until);
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
    private volatile Query query = new Query(Optional.empty(), "", 0, null, false, Optional.empty(), Optional.empty());
    private List<UUID> selectedIds = List.of();
    private boolean replacingRows;
    private boolean bannerFromLoad;
    private final LivePoll live = new LivePoll();

    // Properties
    private final ReadOnlyObjectWrapper<Optional<StateName>> filter = new ReadOnlyObjectWrapper<>(Optional.empty());
    private final ReadOnlyIntegerWrapper offset = new ReadOnlyIntegerWrapper(0);
    private final Map<StateName, ReadOnlyStringWrapper> counts = new EnumMap<>(StateName.class);
    private final ObservableList<JobRow> rows = FXCollections.observableArrayList();
    private final ObservableList<JobRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyStringWrapper pageText = new ReadOnlyStringWrapper("No jobs");
    private final ReadOnlyBooleanWrapper hasPrevious = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper hasNext = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canRetry = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canDelete = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyLongWrapper matchingTotal = new ReadOnlyLongWrapper(0);

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
        JobPage page = queries.page(asked.matching(), asked.offset(), PAGE_SIZE);
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
        if (snapshot.query().matching().equals(current.matching()) && snapshot.query().offset() == current.offset()) {
            showPage(snapshot.page());
        }
        if (Objects.equals(snapshot.query().detailId(), current.detailId())) {
            detail.show(snapshot.detail());
        }
        snapshot.recurring().ifPresent(recurring::show);
    }

    private void showPage(JobPage page) {
        if (page.rows().isEmpty() && page.offset() > 0) {
            // Jobs were deleted under the operator's feet: step back to the last page that has rows.
            setOffset((page.pageCount() - 1) * PAGE_SIZE);
            refreshNow();
            return;
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
        matchingTotal.set(page.total());
        long first = page.total() == 0 ? 0 : page.offset() + 1L;
        long last = page.offset() + (long) page.rows().size();
        pageText.set(page.total() == 0 ? "No jobs"
                : format(first) + "\u2013" + format(last) + " of " + format(page.total()));
        hasPrevious.set(page.offset() > 0);
        hasNext.set(last < page.total());
        updateSelectionState();
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
        setOffset(0);
        refreshNow();
    }

    /**
     * Shows only jobs that deliver to an address containing {@code text} (its own job, or the bulk job it is part
     * of), from the first page; blank shows all.
     */
    public void setRecipientSearch(String text) {
        String wanted = text == null ? "" : text.strip();
        if (wanted.equals(query.recipient())) {
            return;
        }
        query = new Query(query.filter(), wanted, query.offset(), query.detailId(), query.withRecurring(), query.since(),
                query.until());
        setOffset(0);
        refreshNow();
    }

    // What matches, for "Act on all matching" (decision 27)

    /** The jobs the table shows, on every page: state, search and time range. */
    public JobFilter matching() {
        return query.matching();
    }

    /** Shows only jobs last updated in this range (either end open when empty), from the first page. */
    public void setRange(Optional<Instant> since, Optional<Instant> until) {
        if (since.equals(query.since()) && until.equals(query.until())) {
            return;
        }
        query = new Query(query.filter(), query.recipient(), query.offset(), query.detailId(), query.withRecurring(),
                since, until);
        setOffset(0);
        refreshNow();
    }

    /** How many jobs match in all, as of the last read. */
    public ReadOnlyLongProperty matchingTotalProperty() {
        return matchingTotal.getReadOnlyProperty();
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
        if (hasNext.get()) {
            setOffset(offset.get() + PAGE_SIZE);
            refreshNow();
        }
    }

    public void previousPage() {
        if (hasPrevious.get()) {
            setOffset(Math.max(0, offset.get() - PAGE_SIZE));
            refreshNow();
        }
    }

    private void setOffset(int newOffset) {
        offset.set(newOffset);
        query = new Query(filter.get(), query.recipient(), newOffset, query.detailId(), query.withRecurring(), query.since(),
                query.until());
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
            query = new Query(query.filter(), query.recipient(), query.offset(), detailId, query.withRecurring(),
                    query.since(), query.until());
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
        query = new Query(query.filter(), query.recipient(), query.offset(), query.detailId(), shown, query.since(),
                query.until());
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

    public ReadOnlyIntegerProperty offsetProperty() {
        return offset.getReadOnlyProperty();
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
