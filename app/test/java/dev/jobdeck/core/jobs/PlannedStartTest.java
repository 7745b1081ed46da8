package dev.jobdeck.core.jobs;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.ScheduledState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Which runs of a job were planned for a time, read from the job's state history as JobRunr keeps it. */
class PlannedStartTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:08Z");
    private static final UUID SERVER = UUID.randomUUID();

    @Test
    void aRunEnqueuedFromItsScheduleWasPlannedForThatTime() {
        assertThat(PlannedStart.plannedFor(job(failed(), new ScheduledState(AT), new EnqueuedState(), processing())))
                .contains(AT);
    }

    @Test
    void aRunHandedBackByAStoppingHostKeepsThePlannedTime() {
        FailedState handedBack = new FailedState("stopped", new HostStoppedException("host stopped"));

        assertThat(PlannedStart.plannedFor(job(new ScheduledState(AT), new EnqueuedState(), processing(), handedBack,
                new EnqueuedState(), processing()))).contains(AT);
    }

    @Test
    void aJobQueuedToRunNowWasNotPlanned() {
        assertThat(PlannedStart.plannedFor(job(new EnqueuedState(), processing()))).isEmpty();
    }

    @Test
    void aFailedRetryRequeuedByTheOperatorIsNotHeldBackByItsOldSchedule() {
        assertThat(PlannedStart.plannedFor(job(new ScheduledState(AT), new EnqueuedState(), processing(), failed(),
                new EnqueuedState(), processing()))).isEmpty();
    }

    private static FailedState failed() {
        return new FailedState("451 try later", new IllegalStateException("451"));
    }

    private static ProcessingState processing() {
        return new ProcessingState(SERVER, "console-1");
    }

    private static Job job(JobState... history) {
        JobDetails details = new JobDetails(EmailJob.class.getName(), null, "send", List.of());
        return new Job(UUID.randomUUID(), 0, details, List.of(history), new ConcurrentHashMap<>());
    }
}
