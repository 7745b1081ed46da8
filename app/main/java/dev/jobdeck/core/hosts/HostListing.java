package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.core.store.IncidentLog;
import org.jobrunr.storage.BackgroundJobServerStatus;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The Hosts screen's view of every host of the store, on this machine or another, with its state now; and the sweep
 * that records a host dead once it stopped heartbeating for longer than JobRunr's server timeout (the hosts this
 * console watches as processes it sees exit instead).
 */
final class HostListing {

    private static final System.Logger LOG = System.getLogger(HostListing.class.getName());

    private final JobEngine engine;
    private final HostRegistry hosts;
    private final IncidentLog incidents;
    private final HostCommands commands;
    private final Supplier<HostPolicy> policy;
    private final Clock clock;
    /** The worker processes the supervisor watches, by id. */
    private final Map<UUID, ManagedHost> managed;
    private final CpuMeter cpuMeter = new CpuMeter();
    private final ProcessMetrics processMetrics = new ProcessMetrics();

    HostListing(JobEngine engine, HostRegistry hosts, IncidentLog incidents, HostCommands commands,
                Supplier<HostPolicy> policy, Clock clock, Map<UUID, ManagedHost> managed) {
        this.engine = engine;
        this.hosts = hosts;
        this.incidents = incidents;
        this.commands = commands;
        this.policy = policy;
        this.clock = clock;
        this.managed = managed;
    }

    /** Every host the store knows, newest first, with its state now. */
    List<HostStatus> hosts() throws SQLException {
        noticeDeadHosts();
        Map<UUID, BackgroundJobServerStatus> servers = serversById(engine);
        Map<UUID, Integer> processing = engine.processingCounts();
        Optional<UUID> inProcess = engine.serverId();
        List<HostStatus> rows = new ArrayList<>();
        List<HostRecord> recent = hosts.recent(100);
        Set<UUID> known = new HashSet<>();
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
     * this console watches as processes are left to the supervisor, which sees them exit. Returns how many this console recorded.
     */
    int noticeDeadHosts() throws SQLException {
        Map<UUID, BackgroundJobServerStatus> servers = serversById(engine);
        Instant now = clock.instant();
        Duration timeout = policy.get().orphanDetectionTime();
        int recorded = 0;
        for (HostRecord record : hosts.unstopped()) {
            BackgroundJobServerStatus server = servers.get(record.id());
            if (managed.containsKey(record.id()) || engine.serverId().map(record.id()::equals).orElse(false) || record.kind() == HostRecord.Kind.IN_MEMORY
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

    static Map<UUID, BackgroundJobServerStatus> serversById(JobEngine engine) {
        Map<UUID, BackgroundJobServerStatus> byId = new HashMap<>();
        for (BackgroundJobServerStatus status : engine.servers()) {
            byId.put(status.getId(), status);
        }
        return byId;
    }
}
