package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.jobs.SurvivalReports;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.ui.fx.LiveSnapshot;
import dev.jobdeck.ui.fx.Refresher;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.fx.Banner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The Hosts screen: one live read of every host the store knows, the chaos state, the expected recovery times
 * and (every few reads) the survival report, handed to the model of each pane: {@link HostTableModel} (the hosts
 * and the selected one), {@link HostActionsModel} (start, crash, restart, recycle, drain, stop), {@link ChaosModel}
 * (crash all, chaos), {@link TestBatchModel}, {@link OrphanTimingModel} and {@link ReportModel}. Reads and commands
 * run off the JavaFX thread (the {@link TaskRunner} for one-off work, the {@link Refresher} while the screen is
 * shown); every property is written on the JavaFX thread only; the commands of every pane share one banner.
 */
public final class HostsModel {

    /** Once a second: a host's heartbeat, CPU and state change no faster than that. */
    public static final long LIVE_PERIOD_MILLIS = 1000;
    /** The report reads the state history of every job each incident had in flight: every third tick is enough. */
    static final int REPORT_EVERY_TICKS = 3;
    static final int SHOWN_INCIDENTS = 20;
    static final long MAX_SECONDS = 3600;

    /** The inputs of the screen's panes, each with its message next to it. */
    public enum Field { WORKERS, RECYCLE_DEADLINE, POLL, MULTIPLICAND, CHAOS_INTERVAL, BATCH_SIZE }

    /** Saves a new host policy: {@code LiveSettings::updatePolicy} in the app. */
    @FunctionalInterface
    public interface PolicyStore {
        void save(HostPolicy policy) throws SQLException;
    }

    /** One read of everything the screen shows; the report only every few reads. */
    record Snapshot(List<HostStatus> hosts, Optional<SurvivalReport> report, Optional<Duration> chaosEvery,
                    int chaosCrashes, Duration expectedSeen, Duration expectedUnseen, HostPolicy policy, int capacity,
                    String error) {

        static Snapshot failed(Exception problem) {
            return new Snapshot(List.of(), Optional.empty(), Optional.empty(), 0, null, null, null, 0,
                    problem.getMessage() == null ? problem.getClass().getSimpleName() : problem.getMessage());
        }
    }

    private final HostSupervisor supervisor;
    private final SurvivalReports reports;
    private final Supplier<HostPolicy> policy;
    private final TaskRunner tasks;
    private final Banner banner = new Banner();
    private final HostInputs errors = new HostInputs();
    private final CommandRunner commands;
    private final HostTableModel table;
    private final HostActionsModel actions;
    private final ChaosModel chaos;
    private final TestBatchModel testBatch;
    private final OrphanTimingModel timing;
    private final ReportModel report;
    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicBoolean reportWanted = new AtomicBoolean(true);
    private final LiveSnapshot<Snapshot> live = new LiveSnapshot<>(LIVE_PERIOD_MILLIS, this::loadQuietly, this::apply);
    private boolean bannerFromLoad;
    private final ReadOnlyStringWrapper hostCount = new ReadOnlyStringWrapper("");

    public HostsModel(HostSupervisor supervisor, SurvivalReports reports, EmailQueue queue, Supplier<HostPolicy> policy,
                      PolicyStore policyStore, TaskRunner tasks, Clock clock) {
        this.supervisor = supervisor;
        this.reports = reports;
        this.policy = policy;
        this.tasks = tasks;
        this.commands = new CommandRunner(tasks, banner, this::commandStarted, this::commandDone);
        this.table = new HostTableModel(clock);
        this.actions = new HostActionsModel(supervisor, policy, policyStore, table, commands, errors, banner, clock);
        this.chaos = new ChaosModel(supervisor, table, commands, errors);
        this.testBatch = new TestBatchModel(queue, table, commands, errors, banner, clock);
        this.timing = new OrphanTimingModel(policy, policyStore, commands, errors);
        this.report = new ReportModel(clock, reports, commands);
    }

    private void commandStarted() {
        actions.forgetRecycle();
    }

    private void commandDone() {
        bannerFromLoad = false;
        refreshNow();
    }

    // Reading: the one live poll of the screen

    /** Reads the hosts, chaos state and expected times, and the report when due or asked for. Blocks on H2. */
    Snapshot load() throws SQLException {
        List<HostStatus> hosts = supervisor.hosts();
        boolean withReport = reportWanted.getAndSet(false) || ticks.incrementAndGet() % REPORT_EVERY_TICKS == 0;
        Optional<SurvivalReport> read = withReport ? Optional.of(reports.report(Optional.empty(), SHOWN_INCIDENTS))
                : Optional.empty();
        return new Snapshot(hosts, read, supervisor.chaosInterval(), supervisor.chaosCrashes(),
                supervisor.expectedRecoverySeen(), supervisor.expectedRecoveryUnseen(), policy.get(), supervisor.capacity(),
                null);
    }

    private Snapshot loadQuietly() {
        try {
            return load();
        } catch (SQLException | RuntimeException e) {
            return Snapshot.failed(e);
        }
    }

    /** Reads everything, the report included, now: after a command, without waiting for the next tick. */
    public void refreshNow() {
        reportWanted.set(true);
        tasks.run(this::loadQuietly, this::apply, problem -> banner.failed("Reading the hosts", problem));
    }

    /** Reads every {@link #LIVE_PERIOD_MILLIS} on the refresher's thread; a slow UI gets only the newest read ({@link LiveSnapshot}). */
    public void startLive(Refresher refresher, Executor uiThread) {
        if (live.isRunning()) {
            return;
        }
        reportWanted.set(true);
        live.start(refresher, uiThread);
    }

    public void stopLive() {
        live.stop();
    }

    public boolean isLive() {
        return live.isRunning();
    }

    /** On the JavaFX thread: hands one read to the panes' models. */
    void apply(Snapshot snapshot) {
        if (snapshot.error() != null) {
            banner.show(Banner.Tone.DANGER, "Cannot read the hosts: " + snapshot.error());
            bannerFromLoad = true;
            return;
        }
        if (bannerFromLoad) {
            banner.clear();
            bannerFromLoad = false;
        }
        table.show(snapshot.hosts());
        long liveHosts = table.rows().stream().filter(HostStatus::isLive).count();
        hostCount.set(HostTexts.number(liveHosts) + " live of " + HostTexts.number(table.rows().size()) + " known · this"
                + " machine holds " + snapshot.capacity() + " worker hosts");
        chaos.show(snapshot.chaosEvery(), snapshot.chaosCrashes());
        timing.showExpected(snapshot.expectedSeen(), snapshot.expectedUnseen(), snapshot.policy());
        snapshot.report().ifPresent(read -> {
            report.show(read);
            timing.showMeasured(report);
        });
        actions.followRecycle(snapshot.report());
    }

    // The panes' models

    public HostTableModel table() {
        return table;
    }

    public HostActionsModel actions() {
        return actions;
    }

    public ChaosModel chaos() {
        return chaos;
    }

    public TestBatchModel testBatch() {
        return testBatch;
    }

    public OrphanTimingModel timing() {
        return timing;
    }

    public ReportModel report() {
        return report;
    }

    // Accessors

    public Banner banner() {
        return banner;
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.property(field);
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return commands.busyProperty();
    }

    public ReadOnlyStringProperty hostCountProperty() {
        return hostCount.getReadOnlyProperty();
    }
}
