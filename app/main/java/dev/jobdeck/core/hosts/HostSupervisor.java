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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final AtomicInteger chaosCrashes = new AtomicInteger();
    private final CpuMeter cpuMeter = new CpuMeter();
    private final ProcessMetrics processMetrics = new ProcessMetrics();
    private final Object inProcessLock = new Object();
    private volatile boolean closing;
    private ScheduledFuture<?> chaos;
    private Duration chaosEvery;
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

    /** A worker process this console started (or adopted after its own restart) and watches. */
    private static final class ManagedHost {
        final UUID id;
        final String name;
        final HostRecord.Kind kind;
        final int workers;
        final ProcessHandle process;
        volatile Incident.Action action;
        volatile Instant actionAt;
        volatile UUID incidentId;

        ManagedHost(UUID id, String name, HostRecord.Kind kind, int workers, ProcessHandle process) {
            this.id = id;
            this.name = name;
            this.kind = kind;
            this.workers = workers;
            this.process = process;
        }
    }

    /** The name of the console's own host now, e.g. {@code console-3}. */
    public String inProcessHostName() {
        return engine.hostName();
    }

    public int capacity() {
        return launcher.capacity();
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
            crashInProcess();
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
            crashInProcess();
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
            stopInProcessAndReplace(Incident.Action.RECYCLE, deadline);
            return;
        }
        stopWorker(requireManaged(hostId), Incident.Action.RECYCLE, deadline);
    }

    /** Restart: stop now (running jobs are interrupted and handed back) and start a replacement. */
    public void restart(UUID hostId) throws SQLException {
        if (isInProcess(hostId)) {
            stopInProcessAndReplace(Incident.Action.RESTART, Duration.ZERO);
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

    private void crashInProcess() throws SQLException {
        synchronized (inProcessLock) {
            Optional<UUID> id = engine.serverId();
            if (id.isEmpty()) {
                return;
            }
            Instant at = clock.instant();
            String name = engine.hostName();
            List<Incident.InFlightJob> inFlight = engine.inFlight(id.get());
            UUID incident = incidents.record(inProcessRecord(id.get(), name), Incident.Action.CRASH, at, inFlight,
                    "in-process host stopped abruptly (the console cannot kill -9 itself)");
            hosts.markStopped(id.get(), at, "crashed on purpose (stopped abruptly in-process)", IN_PROCESS_CRASH);
            int requeued = engine.stopServer("crashed");
            incidents.detected(incident, clock.instant(), requeued);
            if (policy.get().replaceDeadHosts() && !closing) {
                engine.startServer();
                incidents.replacedBy(incident, engine.hostName());
            }
        }
    }

    private void stopInProcessAndReplace(Incident.Action action, Duration deadline) throws SQLException {
        if (engine.serverId().isEmpty()) {
            throw new IllegalStateException("The in-process host is not running.");
        }
        timers.execute(() -> {
            try {
                replaceInProcess(action, deadline);
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Could not " + action + " the in-process host", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Restarts the console's own host now: its running jobs are interrupted and handed back, a fresh host starts,
     * and the incident is recorded. Returns how many jobs were handed back.
     */
    public int restartInProcess() throws SQLException, InterruptedException {
        return replaceInProcess(Incident.Action.RESTART, Duration.ZERO);
    }

    private int replaceInProcess(Incident.Action action, Duration deadline) throws SQLException, InterruptedException {
        synchronized (inProcessLock) {
            Optional<UUID> id = engine.serverId();
            if (id.isEmpty()) {
                throw new IllegalStateException("The in-process host is not running.");
            }
            UUID incident = incidents.record(inProcessRecord(id.get(), engine.hostName()), action, clock.instant(),
                    engine.inFlight(id.get()), deadline.isZero() ? null : "drain deadline " + deadline.toSeconds() + " s");
            int requeued = deadline.isZero() ? engine.stopServer(describe(action))
                    : engine.drainServer(deadline, describe(action));
            incidents.detected(incident, clock.instant(), requeued);
            engine.startServer();
            incidents.replacedBy(incident, engine.hostName());
            return requeued;
        }
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
     * recorded as dead with the jobs they held, which go straight back to the queue.
     */
    public void recoverAfterStart() throws SQLException {
        Instant now = clock.instant();
        Map<UUID, BackgroundJobServerStatus> servers = serversById();
        boolean shared = hosts.onSharedStore();
        Duration timeout = policy.get().orphanDetectionTime();
        for (HostRecord record : hosts.unstopped()) {
            Optional<ProcessHandle> process = record.process().filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(launcher::mayServe);
            if (record.kind() != HostRecord.Kind.CONSOLE && process.isPresent()) {
                watch(new ManagedHost(record.id(), record.name(), record.kind(), record.workers(), process.get()));
                LOG.log(System.Logger.Level.INFO, "Adopted host {0} (pid {1}), still running", record.name(), record.pid());
                continue;
            }
            BackgroundJobServerStatus server = servers.get(record.id());
            Instant lastSeen = server == null ? null : server.getLastHeartbeat();
            if (shared && lastSeen != null && Duration.between(lastSeen, now).compareTo(timeout) <= 0) {
                // A store in PostgreSQL is shared: another console's host, or a worker on any machine, still
                // heartbeating. Only silence past the server timeout makes it dead (noticeDeadHosts), never this start.
                continue;
            }
            Incident.Action action = record.kind() == HostRecord.Kind.CONSOLE ? Incident.Action.CONSOLE_CRASH
                    : Incident.Action.DIED;
            UUID incident = incidents.record(record, action, lastSeen == null ? record.startedAt() : lastSeen,
                    engine.inFlight(record.id()), "found at console start" + (lastSeen == null ? ""
                            : "; last heartbeat " + lastSeen));
            String reason = record.kind() == HostRecord.Kind.CONSOLE
                    ? "the console ended without closing (crash or kill -9)" : "ended while no console watched it";
            int requeued = engine.requeueProcessingJobs(record.id()::equals, "Host " + record.name() + ": " + reason
                    + "; handed back when the console started again");
            engine.forgetServer(record.id());
            hosts.markStopped(record.id(), now, reason, -1);
            incidents.detected(incident, now, requeued);
        }
        Map<UUID, ManagedHost> live = Map.copyOf(managed);
        int strays = engine.requeueProcessingJobs(id -> !live.containsKey(id) && !engine.serverId().map(id::equals)
                        .orElse(false) && !servers.containsKey(id),
                "The host running this job is gone (found when the console started)");
        if (strays > 0) {
            LOG.log(System.Logger.Level.INFO, "{0} job(s) of unknown hosts handed back", strays);
        }
    }

    /** Crashes a random live host every {@code every} until {@link #stopChaos()}. */
    public synchronized void startChaos(Duration every) {
        if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("Chaos needs an interval of at least 1 s.");
        }
        stopChaos();
        chaosEvery = every;
        chaos = timers.scheduleAtFixedRate(this::crashRandomHost, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void stopChaos() {
        if (chaos != null) {
            chaos.cancel(false);
            chaos = null;
        }
    }

    public synchronized Optional<Duration> chaosInterval() {
        return chaos == null ? Optional.empty() : Optional.of(chaosEvery);
    }

    public int chaosCrashes() {
        return chaosCrashes.get();
    }

    private void crashRandomHost() {
        List<UUID> candidates = new ArrayList<>();
        managed.values().stream().filter(h -> h.action == null && h.process.isAlive()).forEach(h -> candidates.add(h.id));
        engine.serverId().ifPresent(candidates::add);
        if (candidates.isEmpty()) {
            return;
        }
        UUID victim = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        try {
            crash(victim);
            chaosCrashes.incrementAndGet();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Chaos could not crash host " + victim + ": " + e.getMessage());
        }
    }

    /** Every host the store knows, newest first, with its state now. */
    public List<HostStatus> hosts() throws SQLException {
        noticeDeadHosts();
        Map<UUID, BackgroundJobServerStatus> servers = serversById();
        Map<UUID, Integer> processing = engine.processingCounts();
        Optional<UUID> inProcess = engine.serverId();
        List<HostStatus> rows = new ArrayList<>();
        List<HostRecord> recent = hosts.recent(100);
        java.util.Set<UUID> known = new java.util.HashSet<>();
        recent.forEach(record -> known.add(record.id()));
        // Servers of the store that JobDeck's registry does not know (a JobRunr server of another program): shown too.
        for (BackgroundJobServerStatus stranger : servers.values()) {
            if (known.contains(stranger.getId())) {
                continue;
            }
            rows.add(new HostStatus(stranger.getId(), stranger.getName(), HostRecord.Kind.WORKER, null,
                    stranger.isRunning() ? HostStatus.State.RUNNING : HostStatus.State.DRAINING,
                    stranger.getFirstHeartbeat(), stranger.getLastHeartbeat(), stranger.getWorkerPoolSize(),
                    processing.getOrDefault(stranger.getId(), 0), Math.max(0, stranger.getProcessCpuLoad()) * 100,
                    stranger.getProcessAllocatedMemory() - stranger.getProcessFreeMemory(), null, null, false, null, null));
        }
        for (HostRecord record : recent) {
            BackgroundJobServerStatus server = servers.get(record.id());
            ManagedHost host = managed.get(record.id());
            boolean here = host != null || inProcess.map(record.id()::equals).orElse(false);
            Optional<ProcessHandle> process = record.stopped() || !onThisMachine(record) ? Optional.empty()
                    : record.process();
            HostStatus.State state = stateOf(record, server, host, process.isPresent(), inProcess);
            if (state == HostStatus.State.RUNNING && !here && commands.pending(record.id())) {
                state = HostStatus.State.DRAINING;
            }
            Long memory = process.flatMap(p -> processMetrics.residentBytes(p.pid()))
                    .orElse(server == null || !state.equals(HostStatus.State.RUNNING) ? null
                            : server.getProcessAllocatedMemory() - server.getProcessFreeMemory());
            Double cpu = process.flatMap(cpuMeter::percentOfOneCore)
                    .orElse(server == null || !HostStatus.State.RUNNING.equals(state) ? null
                            : Math.max(0, server.getProcessCpuLoad()) * 100);
            rows.add(new HostStatus(record.id(), record.name(), record.kind(), record.pid(), state, record.startedAt(),
                    server == null ? null : server.getLastHeartbeat(), record.workers(),
                    processing.getOrDefault(record.id(), 0), cpu, memory, record.stoppedAt(), record.stopReason(), here,
                    record.machine(), record.address()));
        }
        return rows;
    }

    /** Whether a host runs on this console's machine (its pid means something here); hosts from before V2 are. */
    private boolean onThisMachine(HostRecord record) {
        return record.machine() == null || record.machine().equals(hosts.machine());
    }

    /**
     * Hosts that stopped heartbeating for longer than JobRunr's server timeout, on any machine: recorded as dead with
     * an incident (the survival report's), their jobs handed back and their server row removed. Once per host across
     * every console of the store: only the console whose {@link HostRegistry#markStopped} wins records it. The hosts
     * this console watches as processes are left to {@link #exited}. Returns how many this console recorded.
     */
    public int noticeDeadHosts() throws SQLException {
        Map<UUID, BackgroundJobServerStatus> servers = serversById();
        Instant now = clock.instant();
        Duration timeout = policy.get().orphanDetectionTime();
        int recorded = 0;
        for (HostRecord record : hosts.unstopped()) {
            BackgroundJobServerStatus server = servers.get(record.id());
            if (managed.containsKey(record.id()) || isInProcess(record.id()) || record.kind() == HostRecord.Kind.IN_MEMORY
                    || (onThisMachine(record) && record.process().filter(p -> p.pid() != ProcessHandle.current().pid())
                    .isPresent())) {
                continue;
            }
            Instant lastSeen = server == null ? null : server.getLastHeartbeat();
            Instant silentSince = lastSeen == null ? record.startedAt() : lastSeen;
            if (Duration.between(silentSince, now).compareTo(timeout) <= 0) {
                continue;
            }
            String silence = lastSeen == null ? "no heartbeat in the store" : "last heartbeat " + lastSeen;
            if (!hosts.markStopped(record.id(), now, "stopped heartbeating (" + silence + "; JobRunr's server timeout is "
                    + timeout.toSeconds() + " s)", -1)) {
                continue;
            }
            UUID incident = incidents.record(record, Incident.Action.DIED, silentSince, engine.inFlight(record.id()),
                    "heartbeat older than the server timeout (" + timeout.toSeconds() + " s); " + silence
                            + (record.machine() == null ? "" : "; on " + record.machine()));
            int requeued = engine.requeueProcessingJobs(record.id()::equals, "Host " + record.name()
                    + " stopped heartbeating while this job ran; a console saw it dead and handed the job back");
            engine.forgetServer(record.id());
            incidents.detected(incident, now, requeued);
            recorded++;
            LOG.log(System.Logger.Level.WARNING, "Host {0} on {1} stopped heartbeating ({2}); recorded as dead, {3} job(s)"
                    + " handed back", record.name(), record.machine(), silence, requeued);
        }
        return recorded;
    }

    private HostStatus.State stateOf(HostRecord record, BackgroundJobServerStatus server, ManagedHost host,
                                     boolean processAlive, Optional<UUID> inProcess) {
        if (record.stopped()) {
            return record.exitCode() != null && record.exitCode() == 0 ? HostStatus.State.STOPPED : HostStatus.State.DEAD;
        }
        if (inProcess.map(record.id()::equals).orElse(false)) {
            return engine.isDraining() ? HostStatus.State.DRAINING : HostStatus.State.RUNNING;
        }
        if (host != null && (host.action == Incident.Action.RECYCLE || host.action == Incident.Action.RESTART)) {
            return HostStatus.State.DRAINING;
        }
        if (processAlive) {
            return server == null && record.kind() == HostRecord.Kind.WORKER ? HostStatus.State.STARTING
                    : HostStatus.State.RUNNING;
        }
        // Not a local process: trust JobRunr's server table (a host on another machine, or a dead one not yet noticed).
        return server != null && server.isRunning() ? HostStatus.State.RUNNING : HostStatus.State.DEAD;
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
        Map<UUID, BackgroundJobServerStatus> byId = new HashMap<>();
        for (BackgroundJobServerStatus status : engine.servers()) {
            byId.put(status.getId(), status);
        }
        return byId;
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

    private HostRecord inProcessRecord(UUID id, String name) {
        return HostRecord.started(id, name, HostRecord.Kind.CONSOLE, ProcessHandle.current().pid(),
                engine.settings().workers(), clock.instant());
    }

    private static String describe(Incident.Action action) {
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
