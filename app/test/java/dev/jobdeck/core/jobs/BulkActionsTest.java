package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.BulkActions.Action;
import dev.jobdeck.core.jobs.BulkActions.Plan;
import dev.jobdeck.core.jobs.BulkActions.Progress;
import dev.jobdeck.core.jobs.BulkActions.Summary;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.FailedJobs;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Acting on every job that matches (decision 27), on a real store with real JobRunr jobs, in chunks of 7. */
class BulkActionsTest {

    private static final int CHUNK = 7;

    @TempDir
    Path temp;

    private ConsoleServices services;
    private BulkActions bulk;
    private final AtomicInteger wakeUps = new AtomicInteger();

    @BeforeEach
    void open() throws Exception {
        services = Consoles.open(temp);
        bulk = new BulkActions(services.parts().queries(), services.parts().engine().storage(), wakeUps::incrementAndGet,
                Clock.systemUTC(), CHUNK);
    }

    @AfterEach
    void close() {
        services.close();
    }

    /** An instant later than every one read before it. */
    private static Instant tick() {
        Instant before = Instant.now();
        await().until(() -> Instant.now().isAfter(before));
        return Instant.now();
    }

    private long count(JobState state) throws Exception {
        return services.parts().queries().counts().of(state);
    }

    @Test
    void retryRequeuesEveryMatchingFailedJobChunkByChunkAndReportsProgress() throws Exception {
        List<UUID> failed = FailedJobs.create(services, 20, "example.org");
        services.parts().queue().queue(Consoles.email("waiting@example.org"));

        Plan plan = bulk.plan(Action.RETRY, JobFilter.inState(JobState.FAILED));
        assertThat(plan.count()).isEqualTo(20);
        assertThat(plan.question()).isEqualTo("Requeue 20 jobs?");
        List<Progress> progress = new ArrayList<>();
        Summary summary = bulk.run(plan, progress::add, () -> false);

        assertThat(summary.actedOn()).isEqualTo(20);
        assertThat(summary.complete()).isTrue();
        assertThat(summary.text()).startsWith("20 jobs requeued of 20 matching.");
        assertThat(progress).extracting(Progress::done).containsExactly(7L, 14L, 20L);
        assertThat(progress).allSatisfy(step -> assertThat(step.total()).isEqualTo(20));
        assertThat(wakeUps).as("hosts hear of each chunk of requeued jobs").hasValue(3);
        assertThat(count(JobState.FAILED)).isZero();
        assertThat(count(JobState.ENQUEUED)).isEqualTo(21);
        assertThat(failed).allSatisfy(id -> assertThat(Consoles.stateOf(services, id)).isEqualTo(StateName.ENQUEUED));
    }

    @Test
    void cancelStopsBetweenChunksAndLeavesTheRestUntouched() throws Exception {
        FailedJobs.create(services, 20, "example.org");
        Plan plan = bulk.plan(Action.RETRY, JobFilter.inState(JobState.FAILED));
        List<Progress> progress = new ArrayList<>();

        Summary summary = bulk.run(plan, progress::add, () -> !progress.isEmpty());

        assertThat(summary.cancelled()).isTrue();
        assertThat(summary.actedOn()).isEqualTo(CHUNK);
        assertThat(summary.left()).isEqualTo(20 - CHUNK);
        assertThat(summary.text()).contains("7 jobs requeued of 20 matching").contains("cancelled, 13 jobs left untouched");
        assertThat(count(JobState.FAILED)).isEqualTo(13);
        assertThat(count(JobState.ENQUEUED)).isEqualTo(CHUNK);
    }

    @Test
    void aSucceededJobAskedToBeRetriedIsSkippedWithWhy() throws Exception {
        FailedJobs.create(services, 3, "example.org");
        UUID sent = services.parts().queue().queue(Consoles.email("sent@example.org")).jobIds().get(0);
        services.startHost();
        Consoles.awaitState(services, sent, StateName.SUCCEEDED);

        Summary summary = bulk.run(bulk.plan(Action.RETRY, JobFilter.ALL), step -> { }, () -> false);

        assertThat(summary.actedOn()).isEqualTo(3);
        assertThat(summary.skipped()).containsExactly(java.util.Map.entry("already delivered: nothing to send again", 1L));
        assertThat(summary.text()).contains("skipped 1 (1 already delivered: nothing to send again)");
        assertThat(Consoles.stateOf(services, sent)).isEqualTo(StateName.SUCCEEDED);
    }

    @Test
    void onlyWhatMatchedWhenCountedIsActedOnAndJobsThatChangedMeanwhileAreSkipped() throws Exception {
        List<UUID> counted = FailedJobs.create(services, 10, "example.org");
        Plan plan = bulk.plan(Action.DELETE, JobFilter.inState(JobState.FAILED));
        // After the count: two of them are requeued by someone else, and a new job fails.
        services.parts().commands().requeue(counted.subList(0, 2));
        UUID later = FailedJobs.create(services, 1, "later.example.org").get(0);

        Summary summary = bulk.run(plan, step -> { }, () -> false);

        assertThat(summary.matched()).isEqualTo(10);
        assertThat(summary.actedOn()).isEqualTo(8);
        assertThat(summary.skipped()).containsEntry("changed since it was counted", 2L);
        assertThat(summary.left()).isZero();
        assertThat(Consoles.stateOf(services, later)).as("it failed after the confirmation").isEqualTo(StateName.FAILED);
        assertThat(counted.subList(0, 2)).allSatisfy(id -> assertThat(Consoles.stateOf(services, id)).isEqualTo(StateName.ENQUEUED));
        assertThat(counted.subList(2, 10)).allSatisfy(id -> assertThat(Consoles.stateOf(services, id)).isEqualTo(StateName.DELETED));
    }

    @Test
    void deleteOfAllStatesSkipsJobsAlreadyDeleted() throws Exception {
        List<UUID> failed = FailedJobs.create(services, 9, "example.org");
        services.parts().commands().delete(failed.subList(0, 4));
        services.parts().queue().queue(Consoles.email("a@example.org, b@example.org"));

        Plan plan = bulk.plan(Action.DELETE, JobFilter.ALL);
        Summary summary = bulk.run(plan, step -> { }, () -> false);

        assertThat(plan.count()).isEqualTo(11);
        assertThat(summary.actedOn()).isEqualTo(7);
        assertThat(summary.skipped()).containsExactly(java.util.Map.entry("already deleted", 4L));
        assertThat(count(JobState.DELETED)).isEqualTo(11);
        assertThat(wakeUps).as("a delete queues nothing").hasValue(0);
    }

    @Test
    void searchAndTimeRangeNarrowWhatMatches() throws Exception {
        FailedJobs.create(services, 12, "example.org");
        // JobRunr stamps updatedAt with the wall clock: "between" is after the first jobs and before the next ones.
        Instant between = tick();
        tick();
        List<UUID> newer = FailedJobs.create(services, 5, "other.example.net");

        JobFilter byDomain = JobFilter.inState(JobState.FAILED).withSearch("@OTHER.example");
        JobFilter bySince = JobFilter.inState(JobState.FAILED).withRange(Optional.of(between), Optional.empty());
        JobFilter byUntil = JobFilter.ALL.withRange(Optional.empty(), Optional.of(between));
        JobFilter byId = JobFilter.ALL.withSearch(newer.get(3).toString());

        assertThat(bulk.plan(Action.RETRY, byDomain).count()).isEqualTo(5);
        assertThat(bulk.plan(Action.RETRY, bySince).count()).isEqualTo(5);
        assertThat(bulk.plan(Action.RETRY, byUntil).count()).isEqualTo(12);
        assertThat(bulk.plan(Action.RETRY, byId).count()).isEqualTo(1);
        Summary summary = bulk.run(bulk.plan(Action.RETRY, byDomain), step -> { }, () -> false);
        assertThat(summary.actedOn()).isEqualTo(5);
        assertThat(newer).allSatisfy(id -> assertThat(Consoles.stateOf(services, id)).isEqualTo(StateName.ENQUEUED));
        assertThat(count(JobState.FAILED)).isEqualTo(12);
    }

    @Test
    void matchingIdsWalksEveryMatchingJobOnceInIdOrder() throws Exception {
        Set<UUID> failed = new HashSet<>(FailedJobs.create(services, 23, "example.org"));
        services.parts().queue().queue(Consoles.email("a@example.org, b@example.org"));
        JobFilter filter = JobFilter.inState(JobState.FAILED);

        List<UUID> walked = new ArrayList<>();
        Optional<UUID> after = Optional.empty();
        for (List<UUID> page = services.parts().queries().matchingIds(filter, after, 5); !page.isEmpty();
             page = services.parts().queries().matchingIds(filter, after, 5)) {
            walked.addAll(page);
            after = Optional.of(page.get(page.size() - 1));
        }

        assertThat(walked).hasSize(23).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(failed);
        assertThat(walked).isSortedAccordingTo((a, b) -> a.toString().compareTo(b.toString()));
    }

    @Test
    void deliveredJobsDeletedThenRetriedInBulkAreNotSentTwiceSingleOrBulk() throws Exception {
        QueueResult singles = services.parts().queue().queue(Consoles.email("one@example.org, two@example.org"));
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            list.append("member").append(i).append("@example.org\n");
        }
        QueueResult bulkJobs = services.parts().queue().queue(Consoles.email(list.toString()));
        long jobs = Consoles.total(services);
        assertThat(jobs).as("two single jobs and bulk jobs of several recipients").isLessThan(102);
        services.startHost();
        Consoles.awaitCount(services, JobState.SUCCEEDED, jobs);
        assertThat(services.sink().orElseThrow().messageCount()).isEqualTo(102);

        assertThat(bulk.run(bulk.plan(Action.DELETE, JobFilter.ALL), step -> { }, () -> false).actedOn()).isEqualTo(jobs);
        Summary retried = bulk.run(bulk.plan(Action.RETRY, JobFilter.inState(JobState.DELETED)), step -> { }, () -> false);
        assertThat(retried.actedOn()).isEqualTo(jobs);
        Consoles.awaitCount(services, JobState.SUCCEEDED, jobs);

        assertThat(services.sink().orElseThrow().messageCount()).as("each e-mail was accepted once").isEqualTo(102);
        UUID single = singles.jobIds().get(0);
        assertThat(services.parts().ledger().attemptsOf(single)).extracting(dev.jobdeck.core.store.DeliveryAttempt::outcome)
                .containsExactly(dev.jobdeck.core.store.DeliveryAttempt.Outcome.SENT,
                        dev.jobdeck.core.store.DeliveryAttempt.Outcome.SKIPPED_ALREADY_SENT);
        UUID bulkJob = bulkJobs.jobIds().get(0);
        List<dev.jobdeck.core.store.DeliveryAttempt.Outcome> outcomes = services.parts().ledger().attemptsOfBulk(bulkJob).stream()
                .map(dev.jobdeck.core.store.DeliveryAttempt::outcome).toList();
        long members = services.parts().queries().recipients(bulkJob).size();
        assertThat(members).isGreaterThan(1);
        assertThat(outcomes).as("every member sent once, then skipped").hasSize((int) (2 * members))
                .containsOnly(dev.jobdeck.core.store.DeliveryAttempt.Outcome.SENT,
                        dev.jobdeck.core.store.DeliveryAttempt.Outcome.SKIPPED_ALREADY_SENT)
                .filteredOn(dev.jobdeck.core.store.DeliveryAttempt.Outcome.SENT::equals).hasSize((int) members);
    }
}
