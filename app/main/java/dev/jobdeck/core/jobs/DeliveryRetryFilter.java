package dev.jobdeck.core.jobs;

import dev.jobdeck.core.settings.RetryPolicy;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.exceptions.IllegalJobThreadStateException;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.exceptions.JobNotFoundException;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * JobRunr's retry step with the operator's {@link RetryPolicy}: how many retries and how far apart, read
 * from the store at each failure so a change applies to the next failure on every host. JobRunr keeps only
 * the last elect-state filter of a server, so this one replaces its default {@code RetryFilter}.
 * Jobs that must not retry (a bounce: {@link PermanentJobFailure}) and jobs whose class is gone fail at once,
 * as with JobRunr's own filter; a job created with its own amount of retries keeps it. A job that ended because its
 * host stopped ({@link HostStoppedException}: a bulk job handing back what it had left), or that JobRunr found
 * orphaned (its host stopped heartbeating: crashed, or lost the store), goes back in the queue at once, and such
 * failures never count against the retries: they were the host's, not the job's.
 */
public final class DeliveryRetryFilter implements ElectStateFilter {

    private final Supplier<RetryPolicy> policy;
    private final Clock clock;

    public DeliveryRetryFilter(Supplier<RetryPolicy> policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void onStateElection(Job job, JobState newState) {
        if (!(newState instanceof FailedState failed) || failed.mustNotRetry()
                || failed.getException() instanceof JobNotFoundException) {
            return;
        }
        if (isHostStopped(failed)) {
            job.enqueue();
            return;
        }
        RetryPolicy current = policy.get();
        int failures = (int) job.getJobStates().stream().filter(StateName.FAILED_STATES)
                .filter(state -> !(state instanceof FailedState each && isHostStopped(each))).count();
        int allowed = job.getAmountOfRetries() != null ? job.getAmountOfRetries() : current.maxRetries();
        if (failures > allowed) {
            return;
        }
        Duration wait = current.delayBeforeRetry(failures);
        job.scheduleAt(clock.instant().plus(wait), "Retry " + failures + " of " + allowed + ", after "
                + RetryPolicy.humanize(wait));
    }

    /**
     * The host's failure, not the job's: its host stopped, the job's run was superseded, or JobRunr found it orphaned
     * (its host stopped heartbeating: crashed, or lost the store) — decision 23.
     */
    private static boolean isHostStopped(FailedState failed) {
        return HOST_FAILURES.contains(failed.getExceptionType());
    }

    private static final java.util.Set<String> HOST_FAILURES = java.util.Set.of(HostStoppedException.class.getName(),
            RunSupersededException.class.getName(), IllegalJobThreadStateException.class.getName());
}
