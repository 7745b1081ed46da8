package dev.jobdeck.core.jobs;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.storage.StorageProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Gives one e-mail of a bulk job a job of its own, under the id the outbox reserved for it (so its Message-ID and
 * ledger rows stay the e-mail's): scheduled for a retry with JobRunr's back-off after a transient failure, or
 * Failed (no retry) after a permanent one, where "Retry" on the Jobs screen requeues just that recipient.
 * The job's history starts with the failure seen in the bulk job, so its retries are counted as JobRunr counts them.
 */
public final class FollowUpJobs {

    private final Supplier<StorageProvider> storage;
    private final Clock clock;

    public FollowUpJobs(Supplier<StorageProvider> storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /** Scheduled after JobRunr's first back-off step (3 s); later retries follow JobRunr's own policy. */
    public void retryLater(UUID emailJobId, UUID emailId, String name, String reason, Exception failure) {
        Job job = newJob(emailJobId, emailId, name);
        job.failed(reason, failure);
        Duration backoff = Duration.ofSeconds((long) Math.pow(RetryFilter.DEFAULT_BACKOFF_POLICY_TIME_SEED, 1));
        job.scheduleAt(clock.instant().plus(backoff), "Retry " + 1 + " of this recipient after a transient failure");
        storage.get().save(job);
    }

    /** Failed for good, with the server's reply; requeue it to try once more. */
    public void failed(UUID emailJobId, UUID emailId, String name, String reason, PermanentJobFailure failure) {
        Job job = newJob(emailJobId, emailId, name);
        job.failed(reason, failure);
        storage.get().save(job);
    }

    private static Job newJob(UUID emailJobId, UUID emailId, String name) {
        JobDetails details = new JobDetails(EmailJob.class.getName(), null, "send",
                List.of(new JobParameter(UUID.class, emailId)));
        Job job = new Job(emailJobId, details);
        job.setJobName(name);
        return job;
    }
}
