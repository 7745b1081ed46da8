package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.ReportJson;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.jobs.SurvivalReports;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.ui.LatestValue;
import dev.jobdeck.ui.LivePoll;
import dev.jobdeck.ui.Refresher;
import dev.jobdeck.ui.TaskRunner;
import dev.jobdeck.ui.jobs.Banner;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * State and commands of the Hosts screen: every host the store knows, live; start, crash, recycle, restart,
 * crash all and chaos; the orphan timing settings with the expected and measured recovery times; test batches;
 * and the survival report ({@link ReportModel}). Reads and commands run off the JavaFX thread (the
 * {@link TaskRunner} for one-off work, the {@link Refresher} while the screen is shown); every property is
 * written on the JavaFX thread only.
 */
public final class HostsModel {

    /** Once a second: a host's heartbeat, CPU and state change no faster than that. */
    public static final long LIVE_PERIOD_MILLIS = 1000;
    /** The report reads the state history of every job each incident had in flight: every third tick is enough. */
    static final int REPORT_EVERY_TICKS = 3;
    static final int SHOWN_INCIDENTS = 20;
    static final int EXPORTED_INCIDENTS = 10_000;
    public static final int MAX_START = 32;
    static final int MAX_WORKERS = 256;
    static final int MAX_TEST_BATCH = 1000;
    static final long MAX_SECONDS = 3600;
    static final String TEST_SENDER = "jobdeck@example.test";
    private static final DateTimeFormatter BATCH_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    public enum Field { WORKERS, RECYCLE_DEADLINE, POLL, MULTIPLICAND, CHAOS_INTERVAL, BATCH_SIZE }

    /** What "Start" starts. */
    public enum StartKind {
        JOBRUNR("JobRunr worker", "JobRunr worker", HostRecord.Kind.WORKER),
        IN_MEMORY("In-memory queue (QueueBackgroundWorkItem baseline)", "In-memory queue", HostRecord.Kind.IN_MEMORY);

        private final String label;
        private final String shortLabel;
        private final HostRecord.Kind kind;

        StartKind(String label, String shortLabel, HostRecord.Kind kind) {
            this.label = label;
            this.shortLabel = shortLabel;
            this.kind = kind;
        }

        /** In the list of choices. */
        public String label() {
            return label;
        }

        /** On the closed choice box, where space is short. */
        public String shortLabel() {
            return shortLabel;
        }

        public HostRecord.Kind kind() {
            return kind;
        }
    }

    /** Saves a new host policy: {@code ConsoleServices::updatePolicy} in the app. */
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
    private final EmailQueue queue;
    private final Supplier<HostPolicy> policy;
    private final PolicyStore policyStore;
    private final TaskRunner tasks;
    private final Clock clock;
    private final Banner banner = new Banner();
    private final ReportModel report;
    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicBoolean reportWanted = new AtomicBoolean(true);
    private UUID selectedHost;
    /** Only the UI thread reads and writes it. */
    private Recycling recycling;
    private boolean replacingRows;
    private boolean bannerFromLoad;
    private final LivePoll live = new LivePoll();

    // Properties: inputs, bound both ways by the view
    private final ObjectProperty<Integer> startCount = new SimpleObjectProperty<>(1);
    private final ObjectProperty<StartKind> startKind = new SimpleObjectProperty<>(StartKind.JOBRUNR);
    private final StringProperty workersEach = new SimpleStringProperty("16");
    private final StringProperty recycleDeadline = new SimpleStringProperty("");
    private final StringProperty pollSeconds = new SimpleStringProperty("");
    private final StringProperty multiplicand = new SimpleStringProperty("");
    private final StringProperty chaosSeconds = new SimpleStringProperty("10");
    private final StringProperty batchSize = new SimpleStringProperty("20");

    // Properties: derived, read-only to the view
    private final ObservableList<HostStatus> rows = FXCollections.observableArrayList();
    private final ObservableList<HostStatus> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final Map<Field, ReadOnlyStringWrapper> errors = new EnumMap<>(Field.class);
    private final ReadOnlyObjectWrapper<Optional<HostStatus>> selected = new ReadOnlyObjectWrapper<>(Optional.empty());
    private final ReadOnlyBooleanWrapper canCrash = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canStop = new ReadOnlyBooleanWrapper(false);
    /** A live host this console did not start, on any machine: drained or stopped through the store (decision 40). */
    private final ReadOnlyBooleanWrapper canCommand = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper chaosOn = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper chaosText = new ReadOnlyStringWrapper("Off");
    private final ReadOnlyStringWrapper selectionText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper batchTarget = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper expectedSeen = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper expectedUnseen = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper measured = new ReadOnlyStringWrapper("no crash yet");
    private final ReadOnlyStringWrapper handedBack = new ReadOnlyStringWrapper("no crash yet");
    private final ReadOnlyStringWrapper hostCount = new ReadOnlyStringWrapper("");

    public HostsModel(HostSupervisor supervisor, SurvivalReports reports, EmailQueue queue, Supplier<HostPolicy> policy,
                      PolicyStore policyStore, TaskRunner tasks, Clock clock) {
        this.supervisor = supervisor;
        this.reports = reports;
        this.queue = queue;
        this.policy = policy;
        this.policyStore = policyStore;
        this.tasks = tasks;
        this.clock = clock;
        this.report = new ReportModel(clock);
        for (Field field : Field.values()) {
            errors.put(field, new ReadOnlyStringWrapper(""));
        }
        clearErrorOnEdit(workersEach, Field.WORKERS);
        clearErrorOnEdit(recycleDeadline, Field.RECYCLE_DEADLINE);
        clearErrorOnEdit(pollSeconds, Field.POLL);
        clearErrorOnEdit(multiplicand, Field.MULTIPLICAND);
        clearErrorOnEdit(chaosSeconds, Field.CHAOS_INTERVAL);
        clearErrorOnEdit(batchSize, Field.BATCH_SIZE);
        // The policy is held in memory by the composition root: reading it here does no I/O.
        HostPolicy saved = policy.get();
        recycleDeadline.set(Long.toString(saved.recycleDeadline().toSeconds()));
        pollSeconds.set(Long.toString(saved.pollInterval().toSeconds()));
        multiplicand.set(Integer.toString(saved.timeoutMultiplicand()));
        updateSelection();
    }

    private void clearErrorOnEdit(ObservableValue<?> input, Field field) {
        input.addListener((obs, old, value) -> errors.get(field).set(""));
    }

    // Reading

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

    /** Reads every {@link #LIVE_PERIOD_MILLIS} on the refresher's thread; a slow UI gets only the newest read. */
    public void startLive(Refresher refresher, Executor uiThread) {
        if (live.isRunning()) {
            return;
        }
        reportWanted.set(true);
        LatestValue<Snapshot> latest = new LatestValue<>(uiThread, this::apply);
        live.start(refresher, LIVE_PERIOD_MILLIS, () -> latest.publish(loadQuietly()));
    }

    public void stopLive() {
        live.stop();
    }

    public boolean isLive() {
        return live.isRunning();
    }

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
        if (!snapshot.hosts().equals(rows)) {
            replacingRows = true;
            try {
                rows.setAll(snapshot.hosts());
            } finally {
                replacingRows = false;
            }
        }
        long liveHosts = rows.stream().filter(HostStatus::isLive).count();
        hostCount.set(HostTexts.number(liveHosts) + " live of " + HostTexts.number(rows.size()) + " known · this machine"
                + " holds " + snapshot.capacity() + " worker hosts");
        boolean on = snapshot.chaosEvery().isPresent();
        chaosOn.set(on);
        chaosText.set(on ? snapshot.chaosCrashes() + " crashed so far, one every "
                + HostTexts.seconds(snapshot.chaosEvery().get())
                : snapshot.chaosCrashes() == 0 ? "Off" : "Off · " + snapshot.chaosCrashes() + " crashed");
        HostPolicy now = snapshot.policy();
        expectedSeen.set("up to " + HostTexts.duration(snapshot.expectedSeen()) + "  (one poll)");
        expectedUnseen.set("about " + HostTexts.duration(snapshot.expectedUnseen()) + "  (" + HostTexts.seconds(now.pollInterval())
                + " × (" + now.timeoutMultiplicand() + " + 1))");
        snapshot.report().ifPresent(this::showReport);
        updateSelection();
        if (recycling != null) {
            followRecycle(snapshot);
        }
    }

    private void showReport(SurvivalReport read) {
        report.show(read);
        measured.set(report.measuredRecovery());
        handedBack.set(report.handedBackAfter());
    }

    // Selection

    /** The table's selected host; ignored while rows are replaced (the view selects the same host again after). */
    public void selectHost(UUID hostId) {
        if (replacingRows) {
            return;
        }
        selectedHost = hostId;
        updateSelection();
    }

    public Optional<UUID> selectedHostId() {
        return Optional.ofNullable(selectedHost);
    }

    private void updateSelection() {
        Optional<HostStatus> host = rows.stream().filter(row -> row.id().equals(selectedHost)).findFirst();
        selected.set(host);
        canCrash.set(host.map(h -> h.local() && h.isLive()).orElse(false));
        canStop.set(host.map(h -> h.local() && h.state() == HostStatus.State.RUNNING).orElse(false));
        canCommand.set(host.map(h -> !h.local() && h.state() == HostStatus.State.RUNNING
                && h.kind() != HostRecord.Kind.IN_MEMORY).orElse(false));
        selectionText.set(host.map(h -> h.name() + " · " + HostTexts.kind(h.kind()) + " · " + HostTexts.state(h.state())
                        + (h.local() || !h.isLive() ? "" : " · on " + (h.machine() == null ? "another process"
                        : h.machine()) + ": drain or stop it through the store"))
                .orElse("Select a host to crash, recycle or restart it"));
        batchTarget.set(host.filter(h -> h.kind() == HostRecord.Kind.IN_MEMORY)
                .map(h -> "Hand to " + h.name())
                .orElse("Send as JobRunr jobs"));
    }

    // Commands: hosts

    /** Starts the chosen number of worker JVMs; a worker needs a few seconds before it shows as running. */
    public void startHosts() {
        Integer workers = wholeNumber(workersEach.get(), 1, MAX_WORKERS, Field.WORKERS,
                "Enter the workers per host as a number from 1 to " + MAX_WORKERS + ".");
        int count = startCount.get() == null ? 1 : startCount.get();
        StartKind kind = Objects.requireNonNull(startKind.get());
        if (workers == null) {
            return;
        }
        run("Starting hosts", () -> supervisor.startWorkers(count, kind.kind(), workers),
                names -> "Started " + String.join(", ", names) + " (" + kind.label() + ", " + workers
                        + " workers each). A worker takes a few seconds to start.");
    }

    /** {@code kill -9} of the selected worker, or an abrupt stop of the console's own host. */
    public void crashSelected() {
        Optional<HostStatus> host = selected.get();
        if (host.isEmpty() || !canCrash.get()) {
            return;
        }
        HostStatus target = host.get();
        run("Crashing " + target.name(), () -> {
            supervisor.crash(target.id());
            return target;
        }, crashed -> crashed.kind() == HostRecord.Kind.CONSOLE
                ? "Crashed the console's own host " + crashed.name() + " (stopped abruptly in-process: a console cannot"
                + " kill -9 itself). Its jobs in flight went back to the queue at once."
                : "Crashed " + crashed.name() + " with kill -9. The console saw it exit and hands its jobs in flight back"
                + " at once: see the survival report.");
    }

    /** Recycles the selected host with the deadline in the form, saved as the policy's deadline when it changed. */
    public void recycleSelected() {
        Optional<HostStatus> host = selected.get();
        Integer seconds = wholeNumber(recycleDeadline.get(), 1, MAX_SECONDS, Field.RECYCLE_DEADLINE,
                "The recycle deadline must be more than 0 s (at most " + MAX_SECONDS + " s).");
        if (seconds == null || host.isEmpty() || !canStop.get()) {
            return;
        }
        HostStatus target = host.get();
        Duration deadline = Duration.ofSeconds(seconds);
        run("Recycling " + target.name(), () -> {
            HostPolicy current = policy.get();
            if (!current.recycleDeadline().equals(deadline)) {
                policyStore.save(new HostPolicy(current.pollInterval(), current.timeoutMultiplicand(), deadline,
                        current.replaceDeadHosts()));
            }
            // Timed from the request, not from when the screen hears that it was made.
            Instant asked = clock.instant();
            supervisor.recycle(target.id(), deadline);
            return new Recycling(target.id(), target.name(), asked, seconds);
        }, recycled -> {
            recycling = recycled;
            return "Recycling " + recycled.name() + ": it takes no new work and has up to " + seconds
                    + " s to finish its jobs in flight; then it stops and a replacement starts.";
        });
    }

    /** A recycle asked for on this screen, followed until its host has stopped, when the banner says how it went. */
    private record Recycling(UUID hostId, String name, Instant since, int deadlineSeconds) {
    }

    private void followRecycle(Snapshot snapshot) {
        Recycling followed = recycling;
        Optional<HostStatus> ended = rows.stream().filter(row -> row.id().equals(followed.hostId()) && !row.isLive())
                .findFirst();
        if (ended.isEmpty()) {
            return;
        }
        HostStatus host = ended.get();
        String took = host.stoppedAt() == null ? ""
                : " in " + HostTexts.duration(Duration.between(followed.since(), host.stoppedAt()));
        Optional<String> replacement = snapshot.report().stream().flatMap(read -> read.incidents().stream())
                .filter(incident -> incident.host().equals(followed.name())
                        && incident.action() == Incident.Action.RECYCLE && incident.replacement() != null)
                .map(SurvivalReport.IncidentReport::replacement).findFirst();
        banner.show(Banner.Tone.SUCCESS, "Recycled " + followed.name() + took + " (deadline " + followed.deadlineSeconds()
                + " s); " + replacement.map(name -> name + " replaces it.").orElse("a replacement is starting."));
        if (replacement.isPresent()) {
            recycling = null;   // followed until the replacement is known
        }
    }

    /** Stops the selected host now (its running jobs are handed back) and starts a replacement. */
    public void restartSelected() {
        Optional<HostStatus> host = selected.get();
        if (host.isEmpty() || !canStop.get()) {
            return;
        }
        HostStatus target = host.get();
        run("Restarting " + target.name(), () -> {
            supervisor.restart(target.id());
            return target;
        }, restarted -> "Restarting " + restarted.name() + ": its running jobs are handed back to the queue and a"
                + " replacement starts.");
    }

    /**
     * Drain of a host this console did not start (on this machine or another), with the deadline in the form: asked
     * through the store, which the host reads within a second; the table shows it draining, then stopped.
     */
    public void drainSelected() {
        Optional<HostStatus> host = selected.get();
        Integer seconds = wholeNumber(recycleDeadline.get(), 1, MAX_SECONDS, Field.RECYCLE_DEADLINE,
                "The drain deadline must be more than 0 s (at most " + MAX_SECONDS + " s).");
        if (seconds == null || host.isEmpty() || !canCommand.get()) {
            return;
        }
        HostStatus target = host.get();
        run("Draining " + target.name(), () -> supervisor.command(target.id(), HostCommands.Command.DRAIN,
                Duration.ofSeconds(seconds)), id -> "Asked " + target.name() + " to drain: it takes no new work, has up"
                + " to " + seconds + " s to finish its jobs in flight, hands back the rest and stops.");
    }

    /** Stop of a host this console did not start: it hands its running jobs back and stops. */
    public void stopSelected() {
        Optional<HostStatus> host = selected.get();
        if (host.isEmpty() || !canCommand.get()) {
            return;
        }
        HostStatus target = host.get();
        run("Stopping " + target.name(), () -> supervisor.command(target.id(), HostCommands.Command.STOP, null),
                id -> "Asked " + target.name() + " to stop: it hands its running jobs back to the queue and stops.");
    }

    /** The question to ask before Crash all. */
    public String crashAllQuestion() {
        long live = rows.stream().filter(h -> h.local() && h.isLive()).count();
        return "Crash all " + live + " live " + (live == 1 ? "host" : "hosts") + " this console runs, its own in-process"
                + " host included? Their jobs in flight go back to the queue; in-memory queues lose what they hold.";
    }

    public void crashAll() {
        run("Crash all", supervisor::crashAll, crashed -> "Crashed " + crashed + (crashed == 1 ? " host" : " hosts")
                + ". Replacements start when the host policy replaces dead hosts; see the survival report.");
    }

    /** Turns chaos on (a random live host crashed every interval) or off. */
    public void setChaos(boolean on) {
        if (!on) {
            run("Stopping chaos", () -> {
                supervisor.stopChaos();
                return supervisor.chaosCrashes();
            }, crashes -> "Chaos off. It crashed " + crashes + (crashes == 1 ? " host" : " hosts") + " in all.");
            return;
        }
        Integer seconds = wholeNumber(chaosSeconds.get(), 1, MAX_SECONDS, Field.CHAOS_INTERVAL,
                "Enter how often to crash a host, in whole seconds from 1 to " + MAX_SECONDS + ".");
        if (seconds == null) {
            return;
        }
        run("Starting chaos", () -> {
            supervisor.startChaos(Duration.ofSeconds(seconds));
            return seconds;
        }, every -> "Chaos on: a random live host is crashed every " + every + " s until you turn it off.");
    }

    // Commands: orphan timing

    /** Saves poll interval and server-timeout multiplicand; hosts started from now on use them. */
    public void saveTiming() {
        Integer poll = wholeNumber(pollSeconds.get(), 5, MAX_SECONDS, Field.POLL,
                "The poll interval must be at least 5 s (JobRunr's minimum), in whole seconds.");
        Integer times = wholeNumber(multiplicand.get(), 4, 1000, Field.MULTIPLICAND,
                "The server timeout must be at least 4 poll intervals (JobRunr's minimum).");
        if (poll == null || times == null) {
            return;
        }
        run("Saving the orphan timing", () -> {
            HostPolicy current = policy.get();
            HostPolicy updated = new HostPolicy(Duration.ofSeconds(poll), times, current.recycleDeadline(),
                    current.replaceDeadHosts());
            policyStore.save(updated);
            return updated;
        }, saved -> "Saved: poll every " + HostTexts.seconds(saved.pollInterval()) + ", a silent host times out after "
                + saved.timeoutMultiplicand() + " polls. Hosts started from now on use this; running hosts keep"
                + " the timing they started with.");
    }

    // Commands: test batches and the report

    /**
     * Sends a batch of test e-mails to the built-in sink's test recipients: to the selected host's in-memory
     * queue when an in-memory host is selected, otherwise as JobRunr jobs that any JobRunr host may run.
     */
    public void sendTestBatch() {
        Integer size = wholeNumber(batchSize.get(), 1, MAX_TEST_BATCH, Field.BATCH_SIZE,
                "Enter how many e-mails to send, from 1 to " + MAX_TEST_BATCH + ".");
        if (size == null) {
            return;
        }
        Optional<HostStatus> memoryHost = selected.get().filter(h -> h.kind() == HostRecord.Kind.IN_MEMORY);
        if (memoryHost.isPresent() && !memoryHost.get().isLive()) {
            banner.show(Banner.Tone.DANGER, memoryHost.get().name() + " is " + HostTexts.state(memoryHost.get().state())
                    .toLowerCase() + ": start a new in-memory host, or select none to send JobRunr jobs.");
            return;
        }
        SendRequest request = testBatch(size, LocalTime.now(clock));
        if (memoryHost.isPresent()) {
            HostStatus host = memoryHost.get();
            run("Handing the test batch to " + host.name(), () -> queue.handToMemoryHost(request, host.id()),
                    result -> "Handed " + HostTexts.emails(size) + " to " + host.name() + "'s in-memory queue (batch "
                            + shortId(result) + "). Crash it to see what it loses.");
        } else {
            run("Queueing the test batch", () -> queue.queue(request),
                    result -> "Queued " + HostTexts.emails(size) + " as durable JobRunr jobs (batch " + shortId(result)
                            + "). Crash hosts while they run: none is lost.");
        }
    }

    static SendRequest testBatch(int size, LocalTime at) {
        String recipients = IntStream.rangeClosed(1, size).mapToObj(i -> "user" + i + "@example.test")
                .collect(Collectors.joining("\n"));
        return new SendRequest(TEST_SENDER, recipients, "", "", "JobDeck test batch " + BATCH_TIME.format(at),
                "A test e-mail sent from the Hosts screen to see which e-mails survive a crash.", When.now());
    }

    private static String shortId(QueueResult result) {
        return result.batchId().toString().substring(0, 8);
    }

    /** Writes the whole survival report (every incident) as JSON to {@code file}. */
    public void exportReport(Path file) {
        run("Exporting the report", () -> {
            SurvivalReport whole = reports.report(Optional.empty(), EXPORTED_INCIDENTS);
            Files.writeString(file, ReportJson.toJson(whole));
            return whole;
        }, whole -> "Exported the survival report (" + whole.incidents().size() + " incidents, lost "
                + whole.ledger().lost() + ") to " + file + ".");
    }

    /** Runs a command off the UI thread, shows its outcome in the banner, and reads everything again. */
    private <T> void run(String doing, java.util.concurrent.Callable<T> work, java.util.function.Function<T, String> outcome) {
        busy.set(true);
        // The banner tells of the latest command only: a recycle asked for earlier is no longer followed.
        recycling = null;
        tasks.run(work, result -> {
            busy.set(false);
            bannerFromLoad = false;
            banner.show(Banner.Tone.SUCCESS, outcome.apply(result));
            refreshNow();
        }, problem -> {
            busy.set(false);
            bannerFromLoad = false;
            banner.failed(doing, problem);
            refreshNow();
        });
    }

    /** The whole number in {@code text} within bounds, or null after putting {@code message} next to the field. */
    private Integer wholeNumber(String text, long min, long max, Field field, String message) {
        errors.get(field).set("");
        String trimmed = text == null ? "" : text.strip();
        try {
            long value = Long.parseLong(trimmed);
            if (value >= min && value <= max) {
                return (int) value;
            }
        } catch (NumberFormatException e) {
            // Not a number: the same message as out of range.
        }
        errors.get(field).set(message);
        return null;
    }

    // Accessors

    public ReportModel report() {
        return report;
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

    public boolean isReplacingRows() {
        return replacingRows;
    }

    public List<StartKind> startKinds() {
        return List.of(StartKind.values());
    }

    public ObservableList<HostStatus> rows() {
        return rowsView;
    }

    public ObjectProperty<Integer> startCountProperty() {
        return startCount;
    }

    public ObjectProperty<StartKind> startKindProperty() {
        return startKind;
    }

    public StringProperty workersEachProperty() {
        return workersEach;
    }

    public StringProperty recycleDeadlineProperty() {
        return recycleDeadline;
    }

    public StringProperty pollSecondsProperty() {
        return pollSeconds;
    }

    public StringProperty multiplicandProperty() {
        return multiplicand;
    }

    public StringProperty chaosSecondsProperty() {
        return chaosSeconds;
    }

    public StringProperty batchSizeProperty() {
        return batchSize;
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.get(field).getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Optional<HostStatus>> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canCrashProperty() {
        return canCrash.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStopProperty() {
        return canStop.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canCommandProperty() {
        return canCommand.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty chaosOnProperty() {
        return chaosOn.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty chaosTextProperty() {
        return chaosText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty selectionTextProperty() {
        return selectionText.getReadOnlyProperty();
    }

    /** The test batch button's text: where the batch goes, which depends on the selected host. */
    public ReadOnlyStringProperty batchTargetProperty() {
        return batchTarget.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty expectedSeenProperty() {
        return expectedSeen.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty expectedUnseenProperty() {
        return expectedUnseen.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty measuredProperty() {
        return measured.getReadOnlyProperty();
    }

    /** How long the console took to hand the last crashed host's jobs back to the queue. */
    public ReadOnlyStringProperty handedBackProperty() {
        return handedBack.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty hostCountProperty() {
        return hostCount.getReadOnlyProperty();
    }
}
