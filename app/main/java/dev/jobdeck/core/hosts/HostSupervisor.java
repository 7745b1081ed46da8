package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.core.store.IncidentLog;
import org.jobrunr.storage.BackgroundJobServerStatus;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The console's hold on its hosts: starts worker JVMs, crashes ({@code kill -9}), recycles and restarts them,
 * and, when one of them exits, acts on that at once through JobRunr's own API: the jobs the dead host held are
 * failed with the reason and enqueued again, and its server row is removed, instead of waiting for JobRunr's
 * orphan timeout (poll interval × multiplicand). Hosts it did not start fall back to JobRunr's detection.
 * Every crash, recycle and restart is written to the {@link IncidentLog} with the jobs in flight at that moment.
 */
public final class HostSupervisor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HostSupervisor.class.getName());
    /** An exit code for an in-process host stopped abruptly on purpose: it has no process of its own to kill. */
    public static final int IN_PROCESS_CRASH = -9;
    private static final Duration KILL_AFTER_DEADLINE = Duration.ofSeconds(15);

    private final JobEngine engine;
    private final HostRegistry hosts;
    private final IncidentLog incidents;
    private final WorkerLauncher launcher;
    private final HostCommands commands;
    private final Supplier<HostPolicy> policy;
    private final Clock clock;
    private final Map<UUID, ManagedHost> managed = new ConcurrentHashMap<>();
    private final ExecutorService exits = Executors.newSingleThreadExecutor(daemon("jobdeck-host-exits"));
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemon("jobdeck-host-timers"));
    private final HostListing listing;
    private final HostChaos chaos;
    private final InProcessHost inProcess;
    private volatile boolean closing;
    private int lastWorkerNumber;

    public HostSupervisor(JobEngine engine, HostRegistry hosts, IncidentLog incidents, WorkerLauncher launcher,
                          HostCommands commands, Supplier<HostPolicy> policy, Clock clock) {
        this.engine = engine;
        this.commands = commands;
        this.hosts = hosts;
        this.incidents = incidents;
        this.launcher = launcher;
        this.policy = policy;
        this.clock = clock;
        this.listing = new HostListing(engine, hosts, incidents, commands, policy, clock, managed);
        this.chaos = new HostChaos(timers, managed, engine, this::crash);
        this.inProcess = new InProcessHost(engine, hosts, incidents, policy, clock, timers, () -> closing);
        timers.scheduleWithFixedDelay(() -> {
            try {
                noticeDeadHosts();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Cannot look for hosts that stopped heartbeating now: " + e.getMessage());
            }
        }, DEAD_HOST_CHECK.toMillis(), DEAD_HOST_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How often the console looks for hosts of the cluster that stopped heartbeating (it does so on every Hosts read). */
    private static final Duration DEAD_HOST_CHECK = Duration.ofSeconds(5);

    /** The name of the console's own host now, e.g. {@code console-3}. */
    public String inProcessHostName() {
        return engine.hostName();
    }

    public int capacity() {
        return launcher.capacity();
    }

    /** How many worker processes this console started and watches now: they stop when it closes. No I/O. */
    public int workersStarted() {
        return managed.size();
    }

    /** Starts {@code count} worker JVMs of the given kind, each with {@code workersEach} JobRunr workers. */
    public List<String> startWorkers(int count, HostRecord.Kind kind, int workersEach) throws IOException, SQLException {
        if (count < 1) {
            throw new IllegalArgumentException("Start at least one host.");
        }
        if (workersEach < 1 || workersEach > 256) {
            throw new IllegalArgumentException("A host runs between 1 and 256 workers.");
        }
        if (kind == HostRecord.Kind.CONSOLE) {
            throw new IllegalArgumentException("The console's own host is not started as a process.");
        }
        synchronized (this) {
            int running = managed.size();
            if (running + count > launcher.capacity()) {
                throw new HostLimitException("This machine holds at most " + launcher.capacity() + " worker hosts ("
                        + Runtime.getRuntime().availableProcessors() + " cores; each worker JVM takes about "
                        + WorkerLauncher.BYTES_PER_WORKER / (1024 * 1024) + " MB). " + running + " running, so at most "
                        + Math.max(0, launcher.capacity() - running) + " more.");
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(launch(kind, workersEach).name);
        }
        return names;
    }

    private ManagedHost launch(HostRecord.Kind kind, int workers) throws IOException, SQLException {
        String prefix = kind == HostRecord.Kind.IN_MEMORY ? "memory" : "worker";
        String name;
        synchronized (this) {
            lastWorkerNumber = Math.max(lastWorkerNumber + 1, hosts.nextNumber(prefix));
            name = prefix + "-" + lastWorkerNumber;
        }
        UUID id = UUID.randomUUID();
        Process process = launcher.launch(id, name, workers, kind);
        hosts.register(HostRecord.started(id, name, kind, process.pid(), workers, clock.instant()));
        ManagedHost host = new ManagedHost(id, name, kind, workers, process.toHandle());
        watch(host);
        LOG.log(System.Logger.Level.INFO, "Started host {0} (pid {1}, {2} workers)", name, process.pid(), workers);
        return host;
    }

    private void watch(ManagedHost host) {
        managed.put(host.id, host);
        host.process.onExit().thenAcceptAsync(handle -> exited(host, exitCodeOf(host)), exits);
    }

    private static Integer exitCodeOf(ManagedHost host) {
        // Only a child's exit code is known; an adopted process (started by an earlier console) has none.
        return host.process instanceof Process child ? child.exitValue() : null;
    }

    /** {@code kill -9} of a worker, or an abrupt stop of the in-process host. */
    public void crash(UUID hostId) throws SQLException {
        if (isInProcess(hostId)) {
            inProcess.crash();
            return;
        }
        ManagedHost host = requireManaged(hostId);
        host.action = Incident.Action.CRASH;
        host.actionAt = clock.instant();
        host.process.destroyForcibly();
    }

    /** Crashes every live host, the in-process one included. Returns how many were crashed. */
    public int crashAll() throws SQLException {
        int crashed = 0;
        for (ManagedHost host : List.copyOf(managed.values())) {
            if (host.process.isAlive() && host.action == null) {
                crash(host.id);
                crashed++;
            }
        }
        if (engine.isServerRunning()) {
            inProcess.crash();
            crashed++;
        }
        return crashed;
    }

    /**
     * Recycle: the host takes no new work, its running jobs get up to {@code deadline} to finish, then it stops
     * (anything still running is interrupted and handed back) and a replacement starts.
     */
    public void recycle(UUID hostId, Duration deadline) throws SQLException {
        if (deadline == null || deadline.isZero() || deadline.isNegative()) {
            throw new IllegalArgumentException("The recycle deadline must be more than 0 s.");
        }
        if (isInProcess(hostId)) {
            inProcess.replaceLater(Incident.Action.RECYCLE, deadline);
            return;
        }
        stopWorker(requireManaged(hostId), Incident.Action.RECYCLE, deadline);
    }

    /** Restart: stop now (running jobs are interrupted and handed back) and start a replacement. */
    public void restart(UUID hostId) throws SQLException {
        if (isInProcess(hostId)) {
            inProcess.replaceLater(Incident.Action.RESTART, Duration.ZERO);
            return;
        }
        stopWorker(requireManaged(hostId), Incident.Action.RESTART, Duration.ZERO);
    }

    private void stopWorker(ManagedHost host, Incident.Action action, Duration deadline) throws SQLException {
        if (host.action != null) {
            throw new IllegalStateException("Host " + host.name + " is already being " + describe(host.action) + ".");
        }
        hosts.requestDrain(host.id, (int) Math.min(Integer.MAX_VALUE, deadline.toSeconds()));
        host.action = action;
        host.actionAt = clock.instant();
        host.incidentId = incidents.record(record(host), action, host.actionAt, engine.inFlight(host.id),
                action == Incident.Action.RECYCLE ? "drain deadline " + deadline.toSeconds() + " s" : null);
        host.process.destroy();
        timers.schedule(() -> {
            if (host.process.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "Host {0} did not stop within its deadline; killing it", host.name);
                host.process.destroyForcibly();
            }
        }, deadline.plus(KILL_AFTER_DEADLINE).toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Restarts the console's own host now: its running jobs are interrupted and handed back, a fresh host starts,
     * and the incident is recorded. Returns how many jobs were handed back.
     */
    public int restartInProcess() throws SQLException, InterruptedException {
        return inProcess.replace(Incident.Action.RESTART, Duration.ZERO);
    }

    /** Runs on the exits thread when a watched process ends, for whatever reason. */
    private void exited(ManagedHost host, Integer exitCode) {
        managed.remove(host.id);
        Instant detectedAt = clock.instant();
        if (host.action == null && stoppedItselfCleanly(host)) {
            // Someone sent it SIGTERM (or it was told to stop with the console): it drained and recorded that itself.
            engine.requeueProcessingJobs(host.id::equals, "Host " + host.name + " stopped while this job ran");
            engine.forgetServer(host.id);
            LOG.log(System.Logger.Level.INFO, "Host {0} stopped cleanly", host.name);
            return;
        }
        Incident.Action action = host.action == null ? Incident.Action.DIED : host.action;
        String reason = switch (action) {
            case CRASH -> "killed with kill -9 on purpose";
            case RECYCLE -> "recycled";
            case RESTART -> "restarted";
            default -> closing ? "stopped with the console" : "exited unexpectedly"
                    + (exitCode == null ? "" : " with code " + exitCode);
        };
        try {
            UUID incident = host.incidentId;
            if (incident == null && !(closing && host.action == null)) {
                incident = incidents.record(record(host), action, host.actionAt == null ? detectedAt : host.actionAt,
                        engine.inFlight(host.id), exitCode == null ? null : "exit code " + exitCode);
            }
            int requeued = engine.requeueProcessingJobs(host.id::equals, "Host " + host.name + " " + reason
                    + " while this job ran; the console saw it exit and handed the job back");
            engine.forgetServer(host.id);
            boolean clean = action == Incident.Action.RECYCLE || action == Incident.Action.RESTART
                    || (closing && host.action == null);
            hosts.markStopped(host.id, detectedAt, reason, clean ? Integer.valueOf(0) : exitCode == null ? -1 : exitCode);
            if (incident != null) {
                incidents.detected(incident, detectedAt, requeued);
            }
            boolean replace = action == Incident.Action.RECYCLE || action == Incident.Action.RESTART
                    || policy.get().replaceDeadHosts();
            if (replace && !closing && incident != null) {
                ManagedHost replacement = launch(host.kind, host.workers);
                incidents.replacedBy(incident, replacement.name);
            }
            LOG.log(System.Logger.Level.INFO, "Host {0} {1}; {2} in-flight job(s) handed back", host.name, reason, requeued);
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Could not handle the end of host " + host.name, e);
        }
    }

    private boolean stoppedItselfCleanly(ManagedHost host) {
        try {
            return hosts.find(host.id).map(r -> r.stopped() && Integer.valueOf(0).equals(r.exitCode())).orElse(false);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * At console start: hosts the registry still lists as running are checked. Worker processes that are still
     * alive (they outlived a crashed console) are adopted; the rest, and the previous console's own host, are
     * recorded as dead with the jobs they held, which go straight back to the queue (see {@link StartRecovery}).
     */
    public void recoverAfterStart() throws SQLException {
        new StartRecovery(engine, hosts, incidents, launcher, policy, clock).recover(this::watch, java.util.Set.copyOf(managed.keySet())::contains);
    }

    /** Crashes a random live host every {@code every} until {@link #stopChaos()}. */
    public void startChaos(Duration every) {
        chaos.start(every);
    }

    public void stopChaos() {
        chaos.stop();
    }

    public Optional<Duration> chaosInterval() {
        return chaos.interval();
    }

    public int chaosCrashes() {
        return chaos.crashes();
    }

    /** Every host the store knows, newest first, with its state now. */
    public List<HostStatus> hosts() throws SQLException {
        return listing.hosts();
    }

    /**
     * Hosts that stopped heartbeating for longer than JobRunr's server timeout, on any machine, recorded as dead (see
     * {@link HostListing#noticeDeadHosts}). Returns how many this console recorded.
     */
    public int noticeDeadHosts() throws SQLException {
        return listing.noticeDeadHosts();
    }

    /**
     * Drain or Stop for a host this console did not start (on this machine or another): asked through the store, which
     * the host polls (decision 40). A host this console started is recycled or restarted instead.
     */
    public UUID command(UUID hostId, HostCommands.Command command, Duration deadline) throws SQLException {
        if (managed.containsKey(hostId) || isInProcess(hostId)) {
            throw new IllegalStateException("This console started that host: recycle or restart it instead.");
        }
        return commands.request(hostId, command, deadline);
    }

    /** Expected time from a host's death to its jobs running again, when the console sees it die / when it does not. */
    public Duration expectedRecoverySeen() {
        return policy.get().pollInterval();
    }

    public Duration expectedRecoveryUnseen() {
        return policy.get().orphanDetectionTime();
    }

    private Map<UUID, BackgroundJobServerStatus> serversById() {
        return HostListing.serversById(engine);
    }

    private boolean isInProcess(UUID hostId) {
        return engine.serverId().map(hostId::equals).orElse(false);
    }

    private ManagedHost requireManaged(UUID hostId) {
        ManagedHost host = managed.get(hostId);
        if (host == null || !host.process.isAlive()) {
            throw new IllegalStateException("That host is not running, or was not started by this console.");
        }
        return host;
    }

    private HostRecord record(ManagedHost host) {
        return HostRecord.started(host.id, host.name, host.kind, host.process.pid(), host.workers, clock.instant());
    }

    static String describe(Incident.Action action) {
        return switch (action) {
            case RECYCLE -> "recycled";
            case RESTART -> "restarted";
            case CRASH -> "crashed";
            default -> action.name().toLowerCase();
        };
    }

    /** Stops chaos and asks every worker this console watches to stop now, handing back what it held. */
    @Override
    public void close() {
        closing = true;
        stopChaos();
        List<ManagedHost> running = List.copyOf(managed.values());
        for (ManagedHost host : running) {
            try {
                hosts.requestDrain(host.id, 0);
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot ask host " + host.name + " to stop: " + e.getMessage());
            }
            host.process.destroy();
        }
        for (ManagedHost host : running) {
            try {
                host.process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                host.process.destroyForcibly();
            }
        }
        exits.shutdown();
        try {
            exits.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
