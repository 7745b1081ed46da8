package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.FailedJobs;
import dev.jobdeck.ui.fx.TaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Jobs screen's time range and "Act on all matching", on a real store, everything on the test's thread. */
class BulkActionModelTest {

    @TempDir
    Path temp;

    private ConsoleServices services;
    private JobsModel jobs;
    private BulkActionModel model;

    @BeforeEach
    void open() throws Exception {
        services = Consoles.open(temp);
        FailedJobs.create(services, 12, "example.org");
        services.forScreens().queue().queue(Consoles.email("waiting@example.org"));
        jobs = new JobsModel(services.forScreens().queries(), services.forScreens().commands(), services.parts().supervisor().orElseThrow(),
                TaskRunner.direct(), Clock.systemDefaultZone());
        model = new BulkActionModel(services.forScreens().bulkActions(), TaskRunner.direct(), Clock.systemDefaultZone());
        model.follow(jobs);
        jobs.refreshNow();
    }

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsSaidAndChangesNothing() {
        jobs.filter().setFilter(java.util.Optional.of(JobState.FAILED));
        JobFilter before = jobs.filter().matching();

        model.sinceTextProperty().set("1h");
        model.untilTextProperty().set("2h");

        assertThat(model.applyRange()).isFalse();
        assertThat(model.rangeMessageProperty().get())
                .isEqualTo("The time range ends before it starts: until (2h) is not after since (1h).");
        assertThat(jobs.filter().matching()).isEqualTo(before);
        assertThat(jobs.table().rows()).hasSize(12);
        List<BulkActions.Plan> asked = new ArrayList<>();
        model.prepare(BulkActions.Action.DELETE, asked::add);
        assertThat(asked).as("nothing is counted or asked with a bad range").isEmpty();
    }

    @Test
    void aRangeNarrowsTheTableAndWhatTheButtonSays() {
        jobs.filter().setFilter(java.util.Optional.of(JobState.FAILED));
        assertThat(model.buttonTextProperty().get()).isEqualTo("Act on all 12 matching\u2026");

        model.untilTextProperty().set("2026-01-01");
        assertThat(model.applyRange()).isTrue();

        assertThat(model.rangeMessageProperty().get()).isEmpty();
        assertThat(jobs.table().rows()).isEmpty();
        assertThat(model.buttonTextProperty().get()).isEqualTo("Act on all 0 matching\u2026");
        assertThat(model.retryTextProperty().get()).startsWith("Retry 0 jobs: failed jobs updated before 2026-01-01 00:00:00");
    }

    @Test
    void nothingMatchingIsSaidWithoutAsking() {
        jobs.filter().setFilter(java.util.Optional.of(JobState.SCHEDULED));
        List<BulkActions.Plan> asked = new ArrayList<>();

        model.prepare(BulkActions.Action.RETRY, asked::add);

        assertThat(asked).isEmpty();
        assertThat(model.summary().text()).isEqualTo("No scheduled jobs: nothing to retry.");
    }

    @Test
    void aConfirmedRetryActsOnEveryMatchingJobAndSummarizes() throws Exception {
        jobs.filter().setSearch("@example.org");
        List<BulkActions.Plan> asked = new ArrayList<>();
        model.prepare(BulkActions.Action.RETRY, asked::add);
        assertThat(asked).singleElement().satisfies(plan -> {
            assertThat(plan.count()).isEqualTo(13);
            assertThat(model.confirmationDetail(plan)).startsWith("All 13 jobs that match now: jobs in any state matching"
                    + " \"@example.org\".");
        });

        model.start(asked.get(0));

        assertThat(model.runningProperty().get()).isFalse();
        assertThat(model.progressProperty().get()).isEqualTo(1.0);
        assertThat(model.summary().text()).startsWith("12 jobs requeued of 13 matching; skipped 1 (1 already in the queue).");
        assertThat(services.parts().queries().counts().of(JobState.ENQUEUED)).isEqualTo(13);
    }
}
