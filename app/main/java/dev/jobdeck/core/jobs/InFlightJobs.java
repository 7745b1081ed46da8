package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.Incident;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.navigation.AmountRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The jobs in flight across the store: JobRunr's Processing jobs, by the host (server) that holds them. A host that
 * stopped or died has its jobs handed back to the queue here, with the reason in their history; the survival report's
 * incidents and the Hosts screen's "running" counts read them here too.
 */
final class InFlightJobs {

    private static final System.Logger LOG = System.getLogger(InFlightJobs.class.getName());
    private static final int PROCESSING_PAGE = 10_000;

    private final StorageProvider storage;

    InFlightJobs(StorageProvider storage) {
        this.storage = storage;
    }

    /**
     * Puts jobs left in Processing by a host that no longer runs back in the queue, recording why in their
     * history (Processing, then Failed with the reason, then Enqueued). Returns how many went back.
     */
    int handBack(Predicate<UUID> deadServer, String reason) {
        List<Job> orphans = new ArrayList<>();
        for (Job job : processingJobs()) {
            ProcessingState processing = job.getJobState();
            if (deadServer.test(processing.getServerId())) {
                job.failed(reason, new HostStoppedException(reason));
                job.enqueue();
                orphans.add(job);
            }
        }
        if (orphans.isEmpty()) {
            return 0;
        }
        int requeued = orphans.size();
        try {
            storage.save(orphans);
        } catch (ConcurrentJobModificationException e) {
            // Some job moved on meanwhile (its host was not that dead, or an operator acted): keep the others.
            requeued = 0;
            for (Job job : orphans) {
                try {
                    storage.save(job);
                    requeued++;
                } catch (ConcurrentJobModificationException alreadyMoved) {
                    LOG.log(System.Logger.Level.INFO, "Job {0} changed meanwhile; left as it is", job.getId());
                }
            }
        }
        LOG.log(System.Logger.Level.INFO, "{0} in-flight job(s) handed back to the queue: {1}", requeued, reason);
        return requeued;
    }

    /** The jobs a server is processing now, with the e-mail each one delivers. */
    List<Incident.InFlightJob> of(UUID serverId) {
        List<Incident.InFlightJob> jobs = new ArrayList<>();
        for (Job job : processingJobs()) {
            ProcessingState processing = job.getJobState();
            if (serverId.equals(processing.getServerId())) {
                jobs.add(new Incident.InFlightJob(job.getId(), emailIdOf(job)));
            }
        }
        return jobs;
    }

    /** How many jobs each server is processing now. */
    Map<UUID, Integer> countsByServer() {
        Map<UUID, Integer> counts = new HashMap<>();
        for (Job job : processingJobs()) {
            ProcessingState processing = job.getJobState();
            counts.merge(processing.getServerId(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Whether server {@code serverId} holds job {@code jobId} since before {@code since}: Processing there, not taken
     * away and given back in between. Reads the job from the store; a store that does not answer throws.
     */
    boolean holds(UUID serverId, UUID jobId, Instant since) {
        Job job;
        try {
            job = storage.getJobById(jobId);
        } catch (JobNotFoundException e) {
            return false;
        }
        return job.getJobState() instanceof ProcessingState processing && serverId.equals(processing.getServerId())
                && !processing.getCreatedAt().isAfter(since);
    }

    /** Jobs in Processing, checked against their own state (the list comes through an index). */
    private List<Job> processingJobs() {
        return storage.getJobList(StateName.PROCESSING, new AmountRequest("updatedAt:ASC", PROCESSING_PAGE)).stream()
                .filter(job -> job.getJobState() instanceof ProcessingState).toList();
    }

    /** The e-mail a single-e-mail job delivers; null for a bulk job, whose argument is its own id. */
    private static UUID emailIdOf(Job job) {
        if (!"send".equals(job.getJobDetails().getMethodName())) {
            return null;
        }
        Object argument = job.getJobDetails().getJobParameterValues().length == 0
                ? null : job.getJobDetails().getJobParameterValues()[0];
        return argument instanceof UUID id ? id : null;
    }
}
