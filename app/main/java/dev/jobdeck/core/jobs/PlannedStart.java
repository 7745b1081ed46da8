package dev.jobdeck.core.jobs;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.ScheduledState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Keeps a scheduled job (a retry, an e-mail sent at a time, a cron run) from sending before its time. JobRunr's
 * scheduled-jobs task enqueues every job whose time falls before its next poll ({@code now + pollInterval}), and a
 * worker that looks for work in between (one finishing a job, or e-mails being queued) starts it, up to a poll interval
 * early (decision 19).
 *
 * <p>As a server filter it notes, on the worker thread that runs the job, the time the job was planned for; the job
 * then {@link #await waits} for it before it does anything. The wait is the job's own, not the filter's: JobRunr
 * catches whatever a filter throws and runs the job anyway, so an interrupted wait in a filter would still send early.
 */
public final class PlannedStart implements JobServerFilter {

    /** How often a waiting job looks whether its host is being stopped, so a drain is not held up by the wait. */
    private static final long STEP_MILLIS = 100;

    private final ThreadLocal<Instant> planned = new ThreadLocal<>();
    private final Clock clock;

    public PlannedStart(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void onProcessing(Job job) {
        Optional<Instant> at = plannedFor(job);
        if (at.isPresent()) {
            planned.set(at.get());
        } else {
            planned.remove();
        }
    }

    @Override
    public void onProcessingSucceeded(Job job) {
        planned.remove();
    }

    @Override
    public void onProcessingFailed(Job job, Exception e) {
        planned.remove();
    }

    /**
     * Waits until the planned time of the job this thread runs, when it is still ahead; returns at once for a job
     * that was not scheduled (queued to run now, retried by the operator) or runs outside JobRunr.
     *
     * @throws HostStoppedException when the host is drained or stopped meanwhile: the job goes back to the queue at
     *                              once ({@link DeliveryRetryFilter}) and the host that takes it waits in turn
     */
    public void await(BooleanSupplier hostStopping) throws InterruptedException, HostStoppedException {
        Instant at = planned.get();
        if (at == null) {
            return;
        }
        while (true) {
            Duration left = Duration.between(clock.instant(), at);
            if (left.isNegative() || left.isZero()) {
                return;
            }
            if (hostStopping.getAsBoolean()) {
                throw new HostStoppedException("Host stopped taking work while the job waited for its planned time " + at
                        + "; handed back to the queue");
            }
            Thread.sleep(Math.min(STEP_MILLIS, left.toMillis() + 1));
        }
    }

    /**
     * The time of the schedule this run came from: the job's history ends in Enqueued, Processing, with only hand-backs
     * of a stopped host (Enqueued, Processing, Failed) since a Scheduled state. Any other state in between (a failure,
     * the operator's requeue of a failed or deleted job) means the run was not planned for a time.
     */
    static Optional<Instant> plannedFor(Job job) {
        List<JobState> states = job.getJobStates();
        boolean enqueued = false;
        for (int i = states.size() - 1; i >= 0; i--) {
            JobState state = states.get(i);
            if (state instanceof ScheduledState scheduled) {
                return enqueued ? Optional.of(scheduled.getScheduledAt()) : Optional.empty();
            }
            if (state instanceof EnqueuedState) {
                enqueued = true;
            } else if (!(state instanceof ProcessingState) && !(state instanceof FailedState failed && isHandBack(failed))) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean isHandBack(FailedState failed) {
        return HostStoppedException.class.getName().equals(failed.getExceptionType());
    }
}
