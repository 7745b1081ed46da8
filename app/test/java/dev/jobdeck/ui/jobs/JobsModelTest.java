package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.ui.fx.Banner;
import dev.jobdeck.ui.fx.Refresher;
import dev.jobdeck.ui.fx.TaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobsModelTest {

    @TempDir
    Path tempDir;

    private ConsoleServices services;
    private JobsModel model;

    @BeforeEach
    void open() throws Exception {
        services = ConsoleServices.open(new DataDirectory(tempDir), ConsoleServices.Options.console());
        model = new JobsModel(services.forScreens().queries(), services.forScreens().commands(), services.parts().supervisor().orElseThrow(), TaskRunner.direct(),
                Clock.systemDefaultZone());
    }

    @AfterEach
    void close() {
        services.close();
    }

    private List<UUID> queue(String recipients) throws Exception {
        return services.forScreens().queue().queue(new SendRequest("a@x.org", recipients, "", "", "Hi", "Body", When.now())).jobIds();
    }

    private JobRow rowOf(String recipient) {
        return model.table().rows().stream().filter(row -> recipient.equals(row.recipient())).findFirst().orElseThrow();
    }

    private void awaitCount(JobState state, String count) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            model.refreshNow();
            assertThat(model.cards().countProperty(state).get()).isEqualTo(count);
        });
    }

    @Test
    void theLiveReadShowsNewJobsAtTheInjectedPeriodUntilStopped() throws Exception {
        JobsModel live = new JobsModel(services.forScreens().queries(), services.forScreens().commands(), services.parts().supervisor().orElseThrow(),
                TaskRunner.direct(), Clock.systemDefaultZone(), 100);
        try (Refresher refresher = new Refresher()) {
            live.startLive(refresher, Runnable::run);
            queue("b@y.org, c@y.org");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(live.cards().countProperty(JobState.ENQUEUED).get()).isEqualTo("2"));
            assertThat(live.isLive()).isTrue();
            live.stopLive();
            assertThat(live.isLive()).isFalse();
        }
    }

    @Test
    void readsCountsAndFirstPage() throws Exception {
        queue("b@y.org, c@y.org");

        model.refreshNow();

        assertThat(model.cards().countProperty(JobState.ENQUEUED).get()).isEqualTo("2");
        assertThat(model.cards().countProperty(JobState.FAILED).get()).isEqualTo("0");
        assertThat(model.table().rows()).extracting(JobRow::recipient).containsExactlyInAnyOrder("b@y.org", "c@y.org");
        assertThat(model.table().pageTextProperty().get()).isEqualTo("1\u20132 of 2");
        assertThat(model.table().hasNextProperty().get()).isFalse();
    }

    @Test
    void whileTheStoresKeysAreBuiltAShownColumnsOrderShowsEveryJobByUpdatedAndTheBannerSaysSo() throws Exception {
        queue("b@y.org, c@y.org");
        // As a store from before decision 30 is while its keys are being built.
        setting("MERGE INTO jd_setting (name, setting_value) KEY (name) VALUES ('jobs.keys.builtThrough', '')");

        model.table().sortBy(JobSort.RECIPIENT, false);

        assertThat(model.table().rows()).extracting(JobRow::recipient).containsExactlyInAnyOrder("b@y.org", "c@y.org");
        assertThat(model.banner().tone()).isEqualTo(Banner.Tone.INFO);
        assertThat(model.banner().text()).startsWith("Sorting by this column and word search are being prepared: ")
                .endsWith("% of jobs done. Shown by Updated meanwhile.");

        setting("DELETE FROM jd_setting WHERE name = 'jobs.keys.builtThrough'");
        model.refreshNow();

        assertThat(model.banner().text()).isEmpty();
        assertThat(model.table().rows()).extracting(JobRow::recipient).containsExactly("b@y.org", "c@y.org");
    }

    private void setting(String sql) throws Exception {
        try (java.sql.Connection connection = services.parts().database().dataSource().getConnection();
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void filterShowsOnlyJobsInThatState() throws Exception {
        queue("b@y.org");

        model.filter().toggleFilter(JobState.FAILED);
        assertThat(model.table().rows()).isEmpty();
        assertThat(model.table().pageTextProperty().get()).isEqualTo("No jobs");

        model.filter().toggleFilter(JobState.FAILED);
        assertThat(model.filter().filterProperty().get()).isEmpty();
        assertThat(model.table().rows()).hasSize(1);
    }

    @Test
    void searchFindsARecipientsOwnJobAndTheBulkJobItIsIn() throws Exception {
        queue("ann@y.org, bob@y.org");
        // 100 recipients go out in bulk jobs; carol is one of them.
        queue(IntStream.range(0, 99).mapToObj(i -> "r" + i + "@z.org").collect(Collectors.joining(", ")) + ", Carol@Z.org");

        model.filter().setSearch("ANN@");
        assertThat(model.table().rows()).extracting(JobRow::recipient).containsExactly("ann@y.org");

        model.filter().setSearch("carol@z");
        assertThat(model.table().rows()).singleElement().satisfies(row -> assertThat(row.recipient()).endsWith(")"));
        assertThat(model.table().pageTextProperty().get()).isEqualTo("1\u20131 of 1");

        model.filter().setSearch("nobody");
        assertThat(model.table().rows()).isEmpty();

        model.filter().setSearch("  ");
        assertThat(model.table().rows()).hasSizeGreaterThan(2);
    }

    @Test
    void pagerMovesFiftyRowsAtATime() throws Exception {
        // One job per e-mail, so 120 recipients make 120 rows (a long list would otherwise become bulk jobs).
        services.forScreens().settings().updateDelivery(new DeliverySettings(1, 0, 0));
        queue(IntStream.range(0, 120).mapToObj(i -> "r" + i + "@y.org").collect(Collectors.joining(", ")));
        model.refreshNow();
        assertThat(model.table().rows()).hasSize(50);
        assertThat(model.table().pageTextProperty().get()).isEqualTo("1\u201350 of 120");
        assertThat(model.table().hasPreviousProperty().get()).isFalse();

        List<UUID> seen = new java.util.ArrayList<>(ids());
        model.table().nextPage();
        assertThat(model.table().pageTextProperty().get()).isEqualTo("51\u2013100 of 120");
        seen.addAll(ids());

        model.table().nextPage();
        assertThat(model.table().rows()).hasSize(20);
        assertThat(model.table().pageTextProperty().get()).isEqualTo("101\u2013120 of 120");
        assertThat(model.table().hasNextProperty().get()).isFalse();
        seen.addAll(ids());
        assertThat(seen).doesNotHaveDuplicates().hasSize(120);

        model.table().nextPage();
        assertThat(model.table().pageTextProperty().get()).isEqualTo("101\u2013120 of 120");

        model.table().previousPage();
        assertThat(model.table().pageTextProperty().get()).isEqualTo("51\u2013100 of 120");
        assertThat(ids()).isEqualTo(seen.subList(50, 100));
        assertThat(model.table().hasPreviousProperty().get()).isTrue();

        model.table().lastPage();
        assertThat(model.table().pageTextProperty().get()).as("the last page is the last fifty rows")
                .isEqualTo("71\u2013120 of 120");
        assertThat(ids()).isEqualTo(seen.subList(70, 120));
        model.table().previousPage();
        assertThat(model.table().pageTextProperty().get()).isEqualTo("21\u201370 of 120");
        assertThat(ids()).isEqualTo(seen.subList(20, 70));
        model.table().firstPage();
        assertThat(ids()).isEqualTo(seen.subList(0, 50));
    }

    private List<UUID> ids() {
        return model.table().rows().stream().map(JobRow::jobId).toList();
    }

    @Test
    void failedJobIsRequeuedAndSucceeds() throws Exception {
        services.sink().orElseThrow().rejectRecipient("c@y.org", 550, "mailbox unavailable");
        queue("b@y.org, c@y.org");
        services.startHost();

        awaitCount(JobState.FAILED, "1");
        awaitCount(JobState.SUCCEEDED, "1");
        UUID failed = rowOf("c@y.org").jobId();
        model.table().select(List.of(failed), failed);

        assertThat(model.table().canRetryProperty().get()).isTrue();
        assertThat(model.detail().jobId()).contains(failed);
        assertThat(model.detail().attempts()).extracting(DeliveryAttempt::smtpCode).contains(550);
        assertThat(model.detail().stackTraceProperty().get()).isNotBlank();
        assertThat(model.detail().fields()).contains(new JobDetailModel.Field("Recipient", "c@y.org"));

        services.sink().orElseThrow().clearRejections();
        model.retrySelected();

        assertThat(model.banner().text()).isEqualTo("Requeued 1 job");
        awaitCount(JobState.SUCCEEDED, "2");
        assertThat(model.cards().countProperty(JobState.FAILED).get()).isEqualTo("0");
        assertThat(model.table().selectedIds()).containsExactly(failed);
        assertThat(model.detail().current().orElseThrow().state()).isEqualTo("Succeeded");
    }

    @Test
    void retryIsOfferedOnlyForRequeueableJobs() throws Exception {
        UUID enqueued = queue("b@y.org").get(0);
        model.refreshNow();

        model.table().select(List.of(enqueued), enqueued);

        assertThat(model.table().canRetryProperty().get()).isFalse();
        assertThat(model.table().canDeleteProperty().get()).isTrue();
    }

    @Test
    void deletesSelectedJobsAfterAskingForMoreThanOne() throws Exception {
        List<UUID> ids = queue("b@y.org, c@y.org, d@y.org");
        model.refreshNow();

        model.table().select(ids.subList(0, 2), ids.get(0));
        assertThat(model.table().deleteQuestion()).contains("Delete 2 jobs?");
        model.deleteSelected();

        assertThat(model.banner().text()).isEqualTo("Deleted 2 jobs");
        assertThat(model.cards().countProperty(JobState.DELETED).get()).isEqualTo("2");
        assertThat(model.cards().countProperty(JobState.ENQUEUED).get()).isEqualTo("1");

        model.table().select(List.of(ids.get(2)), ids.get(2));
        assertThat(model.table().deleteQuestion()).isEmpty();
    }

    @Test
    void deletingAnAlreadyDeletedJobIsReportedAsSkipped() throws Exception {
        UUID id = queue("b@y.org").get(0);
        services.forScreens().commands().delete(List.of(id));
        model.refreshNow();

        model.table().select(List.of(id), id);
        assertThat(model.table().canDeleteProperty().get()).isFalse();
        model.deleteSelected();

        assertThat(model.banner().tone()).isEqualTo(Banner.Tone.DANGER);
        assertThat(model.banner().text()).startsWith("Deleted 0 jobs; skipped 1: ").endsWith("is already deleted");
    }

    @Test
    void restartingTheHostReportsTheNewHostNameAndRecordsTheRestart() throws Exception {
        services.startHost();

        model.restartHost();

        assertThat(model.banner().text()).isEqualTo("Host console-2 started; 0 in-flight jobs handed back to the queue");
        assertThat(services.parts().engine().isServerRunning()).isTrue();
        assertThat(services.parts().incidents().recent(5)).singleElement().satisfies(incident -> {
            assertThat(incident.action()).isEqualTo(dev.jobdeck.core.store.Incident.Action.RESTART);
            assertThat(incident.hostName()).isEqualTo("console-1");
            assertThat(incident.replacement()).isEqualTo("console-2");
        });
    }

    @Test
    void staleSnapshotForAnotherFilterDoesNotReplaceTheRows() throws Exception {
        queue("b@y.org");
        JobsModel.Snapshot forAll = model.load();
        model.filter().setFilter(Optional.of(JobState.FAILED));

        model.apply(forAll);

        assertThat(model.table().rows()).isEmpty();
        assertThat(model.cards().countProperty(JobState.ENQUEUED).get()).isEqualTo("1");
    }
}
