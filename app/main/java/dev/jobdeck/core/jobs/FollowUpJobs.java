package dev.jobdeck.core.jobs;

import dev.jobdeck.core.settings.RetryPolicy;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
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
    private final Supplier<RetryPolicy> policy;

    public FollowUpJobs(Supplier<StorageProvider> storage, Clock clock, Supplier<RetryPolicy> policy) {
        this.storage = storage;
        this.clock = clock;
        this.policy = policy;
    }

    /** Scheduled after the policy's first delay; later retries follow the policy through {@link DeliveryRetryFilter}. */
    public void retryLater(UUID emailJobId, UUID emailId, String name, String reason, Exception failure) {
        Job job = newJob(emailJobId, emailId, name);
        job.failed(reason, failure);
        RetryPolicy current = policy.get();
        if (current.maxRetries() > 0) {
            Duration wait = current.delayBeforeRetry(1);
            job.scheduleAt(clock.instant().plus(wait), "Retry 1 of " + current.maxRetries() + " of this recipient, after "
                    + RetryPolicy.humanize(wait));
        }
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
