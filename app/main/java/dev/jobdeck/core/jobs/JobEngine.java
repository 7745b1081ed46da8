package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.DrainableServer;
import dev.jobdeck.core.jobs.jobrunr.IndexOrderedH2StorageProvider;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.core.store.SqlDialect;
import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.BackgroundJobServerStatus;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * JobRunr wired by hand: a storage provider on JobDeck's data source, a scheduler, and at most one
 * {@link BackgroundJobServer} in this process (the console's in-process host, or a worker's). The static
 * {@code BackgroundJob} facade and {@code JobRunr.configure()} are not used, so two engines can live in one
 * JVM (tests) and nothing is global. JobRunr's web dashboard, and with it its anonymous usage reporting, is
 * never started. Every server it starts is registered in the {@link HostRegistry} under its JobRunr id.
 */
public final class JobEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JobEngine.class.getName());
    /** Ten years: JobRunr stores it as text of at most 32 characters and subtracts it from now. */
    private static final Duration NEVER = Duration.ofDays(3650);

    private final StorageProvider storage;
    private final JobScheduler scheduler;
    private final JsonMapper jsonMapper;
    private final JobActivator activator;
    private final HostRegistry hosts;
    private final HostRecord.Kind kind;
    private final Clock clock;
    private final List<JobFilter> jobFilters;
    private final InFlightJobs inFlight;
    private EngineSettings settings;
    /** JobRunr's own default until {@link #useRetention} says otherwise. */
    private Duration deleteSucceededAfter = Duration.ofHours(36);
    private DrainableServer server;
    private String serverName;
    /** Set from a drain or stop until the next start; read by running jobs without taking this engine's lock. */
    private volatile boolean stopping;
    /** The running server's id, for running jobs to read without taking this engine's lock (held while it stops). */
    private volatile UUID runningServerId;
    /** Set while the store is sick: the host takes no new work and bulk jobs hand their rest back. */
    private volatile boolean paused;

    /**
     * @param dialect the store's database: on H2, JobRunr's H2 storage whose fetch and maintenance read jobs in index
     *                order, so a backlog costs a page (decision 24); on PostgreSQL, JobRunr's own PostgreSQL storage,
     *                shared by the servers of every machine (its {@code FOR UPDATE SKIP LOCKED} fetch stays fast with
     *                a backlog)
     * @param ownsSchema true in the process that owns the store (creates and migrates JobRunr's tables);
     *                   false in workers and scripts, which must never race the owner's migration
     * @param jobFilters added to every server this engine starts, e.g. the {@link DeliveryRetryFilter}
     */
    public JobEngine(DataSource dataSource, SqlDialect dialect, JobActivator activator, EngineSettings settings,
                     HostRegistry hosts, HostRecord.Kind kind, boolean ownsSchema, Clock clock,
                     List<JobFilter> jobFilters) {
        this.jobFilters = List.copyOf(jobFilters);
        this.jsonMapper = new JacksonJsonMapper();
        DatabaseOptions options = ownsSchema ? DatabaseOptions.CREATE : DatabaseOptions.SKIP_CREATE;
        this.storage = dialect == SqlDialect.POSTGRESQL ? new PostgresStorageProvider(dataSource, options)
                : new IndexOrderedH2StorageProvider(dataSource, options);
        this.storage.setJobMapper(new JobMapper(jsonMapper));
        this.scheduler = new JobScheduler(storage);
        this.inFlight = new InFlightJobs(storage);
        this.activator = activator;
        this.settings = settings;
        this.hosts = hosts;
        this.kind = kind;
        this.clock = clock;
    }

    public StorageProvider storage() {
        return storage;
    }

    public JobScheduler scheduler() {
        return scheduler;
    }

    public synchronized EngineSettings settings() {
        return settings;
    }

    /** Poll interval and timeout multiplicand for the next server this engine starts. */
    public synchronized void useTiming(Duration poll, int multiplicand) {
        settings = settings.withTiming(poll, multiplicand);
    }

    /** After how long JobRunr's maintenance moves succeeded jobs to Deleted, for the next server this engine starts. */
    public synchronized void useRetention(Duration succeeded) {
        deleteSucceededAfter = succeeded;
    }

    /** The name of the running (or last) host, e.g. {@code console-2} after one restart. */
    public synchronized String hostName() {
        return serverName == null ? settings.hostName() : serverName;
    }

    public synchronized Optional<UUID> serverId() {
        return server == null ? Optional.empty() : Optional.of(server.getId());
    }

    public synchronized boolean isServerRunning() {
        return server != null && server.isRunning();
    }

    /**
     * Lets this process's host start jobs just queued or requeued at once rather than at its next poll. Other
     * processes' hosts hear of them through the store's wake signal (decision 20). Does store I/O on the caller's
     * thread; never throws, since the jobs are queued either way and the next poll takes them.
     */
    public void wakeHost() {
        DrainableServer running;
        synchronized (this) {
            running = server;
        }
        if (running == null) {
            return;
        }
        try {
            running.takeWorkNow();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not hand queued jobs to the host early; its next poll will: "
                    + e.getMessage());
        }
    }

    /**
     * Whether this process's host is being drained or stopped: a bulk job then hands the recipients it has left
     * back to the queue between two messages, instead of holding the host up (or being interrupted) until it has
     * sent them all. Never blocks: {@link #stopServer} holds this engine's lock while it waits for running jobs.
     */
    public boolean isStopping() {
        return stopping || paused;
    }

    /**
     * While the store is sick the host takes no new work, and its bulk jobs hand their remaining recipients back
     * between two messages (as when it stops); {@code false} resumes. Applies to servers started later too.
     */
    public synchronized void pauseTaking(boolean pause) {
        paused = pause;
        if (server != null) {
            server.pauseTaking(pause);
        }
    }

    /** Whether JobRunr stopped this process's server on its own (after too many storage errors). */
    public synchronized boolean stoppedByJobRunr() {
        return server != null && !server.isRunning();
    }

    /**
     * Whether this process's host still runs job {@code jobId} in the run that started at {@code runStartedAt}: the
     * job is Processing on this host's server, and was already before that run started (not taken away and given back
     * since). Reads the job from the store; a store that does not answer throws.
     */
    public boolean stillRuns(UUID jobId, Instant runStartedAt) {
        UUID here = runningServerId;
        if (here == null) {
            return false;
        }
        return inFlight.holds(here, jobId, runStartedAt);
    }

    /** Whether the running server was asked to drain (takes no new work, finishing what it holds). */
    public synchronized boolean isDraining() {
        return server != null && server.isDraining();
    }

    /** Starts this process's server, registers it as a host, and returns its JobRunr server id. */
    public UUID startServer() {
        return startServer(UUID.randomUUID());
    }

    /** Starts this process's server under a given id: a worker uses the id the console chose when it launched it. */
    public synchronized UUID startServer(UUID id) {
        if (server != null) {
            throw new IllegalStateException("the host is already running");
        }
        String name = nameForNextServer();
        HostRecord record = HostRecord.started(id, name, kind, ProcessHandle.current().pid(), settings.workers(),
                clock.instant());
        try {
            hosts.register(record);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot register host " + name + ": " + e.getMessage(), e);
        }
        server = new DrainableServer(storage, jsonMapper, activator,
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andId(id)
                        .andName(name)
                        .andPollInterval(settings.pollInterval())
                        .andServerTimeoutPollIntervalMultiplicand(settings.timeoutMultiplicand())
                        .andWorkerCount(settings.workers())
                        .andDeleteSucceededJobsAfter(deleteSucceededAfter)
                        // JobDeck removes deleted jobs itself, with their e-mails (RetentionPass, decision 26).
                        .andPermanentlyDeleteDeletedJobsAfter(NEVER)
                        .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(settings.stopGrace()));
        server.setJobFilters(jobFilters);
        server.pauseTaking(paused);
        serverName = name;
        stopping = false;
        server.start();
        runningServerId = id;
        LOG.log(System.Logger.Level.INFO, "Host {0} started ({1} workers, poll {2})", name, settings.workers(),
                settings.pollInterval());
        return id;
    }

    /** A worker runs under the name it was given; the console numbers its hosts: console-1, console-2, ... */
    private String nameForNextServer() {
        if (kind == HostRecord.Kind.WORKER) {
            return settings.hostName();
        }
        try {
            return settings.hostName() + "-" + hosts.nextNumber(settings.hostName());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot name the next host: " + e.getMessage(), e);
        }
    }

    /**
     * Stops the host the way a recycle's hard end does: running jobs get {@link EngineSettings#stopGrace()} and
     * are then interrupted. The jobs it held are handed back to the queue at once rather than after JobRunr's
     * orphan timeout, since this process knows for certain that their host is gone.
     */
    public synchronized int stopServer(String reason) {
        if (server == null) {
            return 0;
        }
        UUID stoppedId = server.getId();
        String stoppedName = serverName;
        stopping = true;
        runningServerId = null;
        try {
            server.stop();
        } catch (IllegalStateException alreadyStopped) {
            // JobRunr stops a server on its own when its store fails; stopping it again is not an error.
            LOG.log(System.Logger.Level.DEBUG, "Host {0} was already stopped", stoppedName);
        }
        server = null;
        int requeued = requeueProcessingJobs(Set.of(stoppedId)::contains,
                "Host " + stoppedName + " stopped while this job ran");
        markStopped(stoppedId, reason, 0);
        return requeued;
    }

    public int stopServer() {
        return stopServer("stopped");
    }

    /**
     * Stops taking new work and waits up to {@code deadline} for the jobs in flight to finish, then stops; jobs
     * still running at the deadline are interrupted and handed back. Returns how many had to be handed back.
     */
    public int drainServer(Duration deadline, String reason) throws InterruptedException {
        UUID id;
        synchronized (this) {
            if (server == null) {
                return 0;
            }
            id = server.getId();
            stopping = true;
            server.drain();
        }
        Instant end = clock.instant().plus(deadline);
        while (!inFlight(id).isEmpty() && clock.instant().isBefore(end)) {
            Thread.sleep(200);
        }
        return stopServer(reason);
    }

    /** Stops the host abruptly and starts a fresh one; returns how many in-flight jobs were handed back. */
    public synchronized int restartServer() {
        int requeued = stopServer("restarted");
        startServer();
        return requeued;
    }

    /**
     * Puts jobs left in Processing by a host that no longer runs back in the queue, recording why in their
     * history (Processing, then Failed with the reason, then Enqueued).
     */
    public int requeueProcessingJobs(Predicate<UUID> deadServer, String reason) {
        return inFlight.handBack(deadServer, reason);
    }

    /** The jobs a server is processing now, with the e-mail each one delivers. */
    public List<Incident.InFlightJob> inFlight(UUID serverId) {
        return inFlight.of(serverId);
    }

    /** How many jobs each server is processing now. */
    public Map<UUID, Integer> processingCounts() {
        return inFlight.countsByServer();
    }

    /** Every server JobRunr knows (it deletes a row when its server stops or times out). */
    public List<BackgroundJobServerStatus> servers() {
        return storage.getBackgroundJobServers();
    }

    /** Removes a dead server's row at once, so JobRunr stops counting it among the living. */
    public void forgetServer(UUID serverId) {
        for (BackgroundJobServerStatus status : storage.getBackgroundJobServers()) {
            if (status.getId().equals(serverId)) {
                storage.signalBackgroundJobServerStopped(status);
            }
        }
    }

    private void markStopped(UUID id, String reason, Integer exitCode) {
        try {
            hosts.markStopped(id, clock.instant(), reason, exitCode);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot record that host " + id + " stopped", e);
        }
    }

    @Override
    public synchronized void close() {
        stopServer("closed");
        storage.close();
    }
}
