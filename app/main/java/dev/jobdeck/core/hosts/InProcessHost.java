package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.core.store.IncidentLog;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The console's own host, as the supervisor crashes, recycles and restarts it: it has no process of its own, so a
 * crash is an abrupt stop of its JobRunr server and a replacement is a fresh server in the same JVM. Each is recorded
 * as an incident with the jobs in flight.
 */
final class InProcessHost {

    private static final System.Logger LOG = System.getLogger(InProcessHost.class.getName());

    private final JobEngine engine;
    private final HostRegistry hosts;
    private final IncidentLog incidents;
    private final Supplier<HostPolicy> policy;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    /** Whether the console is closing: no replacement starts then. */
    private final BooleanSupplier closing;
    private final Object lock = new Object();

    InProcessHost(JobEngine engine, HostRegistry hosts, IncidentLog incidents, Supplier<HostPolicy> policy, Clock clock,
                  ScheduledExecutorService timers, BooleanSupplier closing) {
        this.engine = engine;
        this.hosts = hosts;
        this.incidents = incidents;
        this.policy = policy;
        this.clock = clock;
        this.timers = timers;
        this.closing = closing;
    }

    /** An abrupt stop: the console cannot {@code kill -9} itself. A replacement starts if the policy says so. */
    void crash() throws SQLException {
        synchronized (lock) {
            Optional<UUID> id = engine.serverId();
            if (id.isEmpty()) {
                return;
            }
            Instant at = clock.instant();
            String name = engine.hostName();
            List<Incident.InFlightJob> inFlight = engine.inFlight(id.get());
            UUID incident = incidents.record(record(id.get(), name), Incident.Action.CRASH, at, inFlight,
                    "in-process host stopped abruptly (the console cannot kill -9 itself)");
            hosts.markStopped(id.get(), at, "crashed on purpose (stopped abruptly in-process)", HostSupervisor.IN_PROCESS_CRASH);
            int requeued = engine.stopServer("crashed");
            incidents.detected(incident, clock.instant(), requeued);
            if (policy.get().replaceDeadHosts() && !closing.getAsBoolean()) {
                engine.startServer();
                incidents.replacedBy(incident, engine.hostName());
            }
        }
    }

    /** Recycle or restart on the timers thread, so the caller (the JavaFX thread's task) does not wait on the drain. */
    void replaceLater(Incident.Action action, Duration deadline) {
        if (engine.serverId().isEmpty()) {
            throw new IllegalStateException("The in-process host is not running.");
        }
        timers.execute(() -> {
            try {
                replace(action, deadline);
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Could not " + action + " the in-process host", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Stops the host (draining up to {@code deadline} unless zero), records the incident, starts a fresh host. */
    int replace(Incident.Action action, Duration deadline) throws SQLException, InterruptedException {
        synchronized (lock) {
            Optional<UUID> id = engine.serverId();
            if (id.isEmpty()) {
                throw new IllegalStateException("The in-process host is not running.");
            }
            UUID incident = incidents.record(record(id.get(), engine.hostName()), action, clock.instant(),
                    engine.inFlight(id.get()), deadline.isZero() ? null : "drain deadline " + deadline.toSeconds() + " s");
            int requeued = deadline.isZero() ? engine.stopServer(HostSupervisor.describe(action))
                    : engine.drainServer(deadline, HostSupervisor.describe(action));
            incidents.detected(incident, clock.instant(), requeued);
            engine.startServer();
            incidents.replacedBy(incident, engine.hostName());
            return requeued;
        }
    }

    private HostRecord record(UUID id, String name) {
        return HostRecord.started(id, name, HostRecord.Kind.CONSOLE, ProcessHandle.current().pid(),
                engine.settings().workers(), clock.instant());
    }
}
