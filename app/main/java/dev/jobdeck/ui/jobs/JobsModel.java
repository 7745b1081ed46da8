package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.core.jobs.JobDetail;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.JobPage;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.RecurringEmail;
import dev.jobdeck.ui.fx.Banner;
import dev.jobdeck.ui.fx.LiveSnapshot;
import dev.jobdeck.ui.fx.Refresher;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The Jobs dashboard: reads everything the screen shows in one {@link Snapshot} and hands its parts to the models of
 * the screen's panes (the {@link StateCardsModel state cards}, the {@link JobFilterModel filter bar}, the
 * {@link JobTableModel table and pager}, the {@link JobDetailModel job detail} and the {@link RecurringModel recurring
 * e-mails}), and runs the operator's commands on the selected jobs and the in-process host. Reads happen off the
 * JavaFX thread (the {@link TaskRunner} for one-off reads and commands, a {@link LiveSnapshot} while the screen is
 * live); every property is written on the JavaFX thread only.
 */
public final class JobsModel {

    /** Twice a second is live enough for a dashboard and keeps H2 and the UI thread quiet. */
    public static final long LIVE_PERIOD_MILLIS = 500;

    /** One consistent read of everything the screen shows, handed to the UI in one piece. */
    record Snapshot(JobsQuery query, JobCounts counts, JobPage page, Optional<JobDetail> detail,
                    Optional<List<RecurringEmail>> recurring, String error) {

        static Snapshot failed(JobsQuery query, Exception problem) {
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
    private final JobsQuery.Current query = new JobsQuery.Current(
            new JobsQuery(JobFilter.ALL, JobTableModel.firstPage(JobSort.UPDATED, true), 1, null,
                    false), this::refreshNow);
    private final StateCardsModel cards = new StateCardsModel();
    private final JobFilterModel filter = new JobFilterModel(query);
    private final JobDetailModel detail;
    private final JobTableModel table;
    private final RecurringModel recurring;
    private final LiveSnapshot<Snapshot> live;
    private boolean bannerFromLoad;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);

    public JobsModel(JobQueries queries, JobCommands commands, HostSupervisor hosts, TaskRunner tasks, Clock clock) {
        this(queries, commands, hosts, tasks, clock, LIVE_PERIOD_MILLIS);
    }

    /** With the live read every {@code livePeriodMillis} instead of {@link #LIVE_PERIOD_MILLIS}. */
    public JobsModel(JobQueries queries, JobCommands commands, HostSupervisor hosts, TaskRunner tasks, Clock clock,
                     long livePeriodMillis) {
        this.queries = queries;
        this.commands = commands;
        this.hosts = hosts;
        this.tasks = tasks;
        this.clock = clock;
        this.detail = new JobDetailModel(clock.getZone());
        this.table = new JobTableModel(query, detail, banner);
        this.recurring = new RecurringModel(commands, tasks, banner, this::refreshNow);
        this.live = new LiveSnapshot<>(livePeriodMillis, this::loadQuietly, this::apply);
    }

    // Reading

    /** Reads counts, the current page, the selected job and (if shown) the recurring list. Blocks on H2. */
    Snapshot load() throws SQLException {
        JobsQuery asked = query.get();
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
            return Snapshot.failed(query.get(), e);
        }
    }

    /** Reads everything once now, e.g. after a command, without waiting for the next live tick. */
    public void refreshNow() {
        tasks.run(this::loadQuietly, this::apply, problem -> banner.failed("Reading the jobs", problem));
    }

    /** Reads live on the refresher's thread until {@link #stopLive()}; snapshots are applied on {@code uiThread}. */
    public void startLive(Refresher refresher, Executor uiThread) {
        live.start(refresher, uiThread);
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
        cards.show(snapshot.counts());
        JobsQuery current = query.get();
        if (snapshot.query().filter().equals(current.filter()) && snapshot.query().page().equals(current.page())) {
            table.show(snapshot.page(), current);
        }
        if (Objects.equals(snapshot.query().detailId(), current.detailId())) {
            detail.show(snapshot.detail());
        }
        snapshot.recurring().ifPresent(recurring::show);
    }

    // Commands

    /** Whether the recurring list is on screen, so the live read includes it only then. */
    public void showRecurring(boolean shown) {
        JobsQuery withRecurring = query.get().withRecurring(shown);
        if (shown) {
            query.change(withRecurring);
        } else {
            query.set(withRecurring);
        }
    }

    public void retrySelected() {
        requeue(table.selectedIds());
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

    public void deleteSelected() {
        List<UUID> ids = table.selectedIds();
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
        String changed = verb + " " + JobTableModel.format(outcome.changed()) + (outcome.changed() == 1 ? " job" : " jobs");
        if (outcome.skipped().isEmpty()) {
            banner.show(Banner.Tone.SUCCESS, changed);
        } else {
            banner.show(outcome.changed() == 0 ? Banner.Tone.DANGER : Banner.Tone.INFO,
                    changed + "; skipped " + outcome.skipped().size() + ": " + String.join("; ", outcome.skipped()));
        }
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

    // The panes' models

    public StateCardsModel cards() {
        return cards;
    }

    public JobFilterModel filter() {
        return filter;
    }

    public JobTableModel table() {
        return table;
    }

    public JobDetailModel detail() {
        return detail;
    }

    public RecurringModel recurring() {
        return recurring;
    }

    // Accessors

    public Banner banner() {
        return banner;
    }

    public ZoneId zone() {
        return clock.getZone();
    }

    public Instant now() {
        return clock.instant();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
