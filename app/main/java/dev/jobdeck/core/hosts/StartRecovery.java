package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.core.store.IncidentLog;
import org.jobrunr.storage.BackgroundJobServerStatus;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What a console does about the hosts a previous run left behind, once, before anyone else can connect. */
final class StartRecovery {

    private static final System.Logger LOG = System.getLogger(StartRecovery.class.getName());

    private final JobEngine engine;
    private final HostRegistry hosts;
    private final IncidentLog incidents;
    private final WorkerLauncher launcher;
    private final Supplier<HostPolicy> policy;
    private final Clock clock;

    StartRecovery(JobEngine engine, HostRegistry hosts, IncidentLog incidents, WorkerLauncher launcher,
                  Supplier<HostPolicy> policy, Clock clock) {
        this.engine = engine;
        this.hosts = hosts;
        this.incidents = incidents;
        this.launcher = launcher;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * At console start: hosts the registry still lists as running are checked. Worker processes that are still
     * alive (they outlived a crashed console) are adopted; the rest, and the previous console's own host, are
     * recorded as dead with the jobs they held, which go straight back to the queue. {@code adopt} takes a live
     * worker; {@code watched} tells the hosts watched now, whose jobs are theirs.
     */
    void recover(Consumer<ManagedHost> adopt, Predicate<UUID> watched) throws SQLException {
        Instant now = clock.instant();
        Map<UUID, BackgroundJobServerStatus> servers = HostListing.serversById(engine);
        boolean shared = hosts.onSharedStore();
        Duration timeout = policy.get().orphanDetectionTime();
        for (HostRecord record : hosts.unstopped()) {
            Optional<ProcessHandle> process = record.process().filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(launcher::mayServe);
            if (record.kind() != HostRecord.Kind.CONSOLE && process.isPresent()) {
                adopt.accept(new ManagedHost(record.id(), record.name(), record.kind(), record.workers(), process.get()));
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
        int strays = engine.requeueProcessingJobs(id -> !watched.test(id) && !engine.serverId().map(id::equals)
                        .orElse(false) && !servers.containsKey(id),
                "The host running this job is gone (found when the console started)");
        if (strays > 0) {
            LOG.log(System.Logger.Level.INFO, "{0} job(s) of unknown hosts handed back", strays);
        }
    }
}
