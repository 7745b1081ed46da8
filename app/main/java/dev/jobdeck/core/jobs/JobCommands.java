package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobStates;
import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.store.Outbox;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.scheduling.JobScheduler;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What an operator can do to jobs: requeue, delete, and run or remove recurring ones. */
public final class JobCommands {

    /** States from which a job may be put back in the queue. */
    public static final Set<JobState> REQUEUEABLE = EnumSet.of(JobState.FAILED, JobState.DELETED, JobState.SUCCEEDED);

    private final StorageProvider storage;
    private final JobScheduler scheduler;
    private final Outbox outbox;
    private final Runnable jobsDue;

    /** @param jobsDue told after jobs were put back in the queue, so this process's host can start them at once */
    public JobCommands(StorageProvider storage, JobScheduler scheduler, Outbox outbox, Runnable jobsDue) {
        this.storage = storage;
        this.scheduler = scheduler;
        this.outbox = outbox;
        this.jobsDue = jobsDue;
    }

    /** Result of a bulk command: how many jobs it changed and which it left alone, and why. */
    public record Outcome(int changed, List<String> skipped) {
    }

    public Outcome requeue(Collection<UUID> jobIds) {
        List<Job> toSave = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (UUID id : jobIds) {
            try {
                Job job = storage.getJobById(id);
                JobState state = JobStates.of(job.getState());
                if (REQUEUEABLE.contains(state)) {
                    job.enqueue();
                    toSave.add(job);
                } else {
                    skipped.add(id + " is " + JobQueries.title(state).toLowerCase());
                }
            } catch (JobNotFoundException e) {
                skipped.add(id + " no longer exists");
            }
        }
        if (!toSave.isEmpty()) {
            storage.save(toSave);
            jobsDue.run();
        }
        return new Outcome(toSave.size(), skipped);
    }

    public Outcome delete(Collection<UUID> jobIds) {
        int deleted = 0;
        List<String> skipped = new ArrayList<>();
        for (UUID id : jobIds) {
            try {
                Job job = storage.getJobById(id);
                if (JobStates.of(job.getState()) == JobState.DELETED) {
                    skipped.add(id + " is already deleted");
                    continue;
                }
                scheduler.delete(id, "Deleted by the operator");
                deleted++;
            } catch (JobNotFoundException e) {
                skipped.add(id + " no longer exists");
            }
        }
        return new Outcome(deleted, skipped);
    }

    /** Runs a recurring job once now, besides its schedule; returns the new job's id. */
    public UUID triggerNow(String recurringJobId) {
        RecurringJob recurring = storage.getRecurringJobs().stream()
                .filter(job -> job.getId().equals(recurringJobId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No recurring job " + recurringJobId));
        Job job = recurring.toEnqueuedJob();
        storage.save(job);
        jobsDue.run();
        return job.getId();
    }

    /**
     * Removes a recurring job, its runs that have not started (Deleted, with the reason in their history, so none
     * later fails for want of its template) and its template rows in the outbox. A run already sending finishes.
     * Returns how many waiting runs were deleted.
     */
    public int deleteRecurring(String recurringJobId) throws SQLException {
        // First: no new run is created from here on.
        scheduler.deleteRecurringJob(recurringJobId);
        int runs = 0;
        for (UUID run : outbox.waitingRunsOf(recurringJobId)) {
            try {
                Job job = storage.getJobById(run);
                if (job.getState() == StateName.SCHEDULED || job.getState() == StateName.ENQUEUED
                        || job.getState() == StateName.AWAITING) {
                    job.delete("Its recurring job " + recurringJobId + " was deleted");
                    storage.save(job);
                    runs++;
                }
            } catch (JobNotFoundException | ConcurrentJobModificationException startedMeanwhile) {
                // Taken by a host (or removed) since the read: it sends, or is gone, as the operator would expect.
            }
        }
        outbox.deleteTemplatesOf(recurringJobId);
        return runs;
    }
}
