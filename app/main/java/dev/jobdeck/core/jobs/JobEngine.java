package dev.jobdeck.core.jobs;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.storage.sql.h2.H2StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * JobRunr wired by hand: a storage provider on JobDeck's data source, a scheduler, and one in-process
 * {@link BackgroundJobServer} (the console's host). The static {@code BackgroundJob} facade and
 * {@code JobRunr.configure()} are not used, so two engines can live in one JVM (tests) and nothing is global.
 * JobRunr's web dashboard, and with it its anonymous usage reporting, is never started.
 */
public final class JobEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JobEngine.class.getName());

    private final StorageProvider storage;
    private final JobScheduler scheduler;
    private final JsonMapper jsonMapper;
    private final JobActivator activator;
    private final EngineSettings settings;
    private BackgroundJobServer server;
    private int generation;

    public JobEngine(DataSource dataSource, JobActivator activator, EngineSettings settings) {
        this.jsonMapper = new JacksonJsonMapper();
        this.storage = new H2StorageProvider(dataSource);
        this.storage.setJobMapper(new JobMapper(jsonMapper));
        this.scheduler = new JobScheduler(storage);
        this.activator = activator;
        this.settings = settings;
    }

    public StorageProvider storage() {
        return storage;
    }

    public JobScheduler scheduler() {
        return scheduler;
    }

    public EngineSettings settings() {
        return settings;
    }

    /** The name of the running host, e.g. {@code console-2} after one restart. */
    public synchronized String hostName() {
        return settings.hostName() + "-" + Math.max(generation, 1);
    }

    public synchronized boolean isServerRunning() {
        return server != null && server.isRunning();
    }

    public synchronized void startServer() {
        if (server != null) {
            throw new IllegalStateException("the host is already running");
        }
        generation++;
        server = new BackgroundJobServer(storage, jsonMapper, activator,
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andName(hostName())
                        .andPollInterval(settings.pollInterval())
                        .andWorkerCount(settings.workers())
                        .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(settings.stopGrace()));
        server.start();
        LOG.log(System.Logger.Level.INFO, "Host {0} started ({1} workers, poll {2})", hostName(),
                settings.workers(), settings.pollInterval());
    }

    /**
     * Stops the host the way a recycle does: running jobs get {@link EngineSettings#stopGrace()} and are
     * then interrupted. The jobs it held are handed back to the queue at once rather than after JobRunr's
     * orphan timeout (4 polls), since this process knows for certain that their host is gone.
     */
    public synchronized int stopServer() {
        if (server == null) {
            return 0;
        }
        UUID stoppedId = server.getId();
        String stoppedName = hostName();
        server.stop();
        server = null;
        return requeueProcessingJobs(Set.of(stoppedId)::contains, "Host " + stoppedName + " stopped while this job ran");
    }

    /** Stops the host abruptly and starts a fresh one; returns how many in-flight jobs were handed back. */
    public synchronized int restartServer() {
        int requeued = stopServer();
        startServer();
        return requeued;
    }

    /**
     * Puts jobs left in Processing by a host that no longer runs back in the queue, recording why in their
     * history (Processing, then Failed with the reason, then Enqueued).
     */
    public int requeueProcessingJobs(Predicate<UUID> deadServer, String reason) {
        List<Job> orphans = new ArrayList<>();
        for (Job job : storage.getJobList(StateName.PROCESSING, new AmountRequest("updatedAt:ASC", 10_000))) {
            ProcessingState processing = job.getJobState();
            if (deadServer.test(processing.getServerId())) {
                job.failed(reason, new HostStoppedException(reason));
                job.enqueue();
                orphans.add(job);
            }
        }
        if (!orphans.isEmpty()) {
            storage.save(orphans);
            LOG.log(System.Logger.Level.INFO, "{0} in-flight job(s) handed back to the queue: {1}", orphans.size(), reason);
        }
        return orphans.size();
    }

    /** IDs of servers currently running in this process (used at start-up to tell stale hosts from live ones). */
    public synchronized Set<UUID> liveServerIds() {
        return server == null ? Set.of() : Set.of(server.getId());
    }

    @Override
    public synchronized void close() {
        stopServer();
        storage.close();
    }
}
