package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.SlowSmtpServer;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.fx.Banner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Hosts screen's model on a real console: real worker JVMs, real H2, the real survival report. Commands run
 * on the calling thread ({@link TaskRunner#direct()}), so each assertion reads what a command did.
 */
class HostsModelTest {

    /** A worker JVM starts in a few seconds; a busy 2-core machine may need more. */
    private static final Duration WORKER_START = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    private ConsoleServices services;
    private HostSupervisor supervisor;
    private HostsModel model;

    @BeforeEach
    void open() throws Exception {
        services = Consoles.open(tempDir.resolve("data"));
        supervisor = services.parts().supervisor().orElseThrow();
        model = new HostsModel(supervisor, services.forScreens().reports(), services.forScreens().queue(), services.forScreens().settings()::policy,
                services.forScreens().settings()::updatePolicy, TaskRunner.direct(), Clock.systemDefaultZone());
    }

    @AfterEach
    void close() {
        services.close();
    }

    private HostStatus awaitRow(String name, HostStatus.State state) {
        await().atMost(WORKER_START).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            model.refreshNow();
            assertThat(model.table().rows()).anyMatch(row -> row.name().equals(name) && row.state() == state);
        });
        return model.table().rows().stream().filter(row -> row.name().equals(name)).findFirst().orElseThrow();
    }

    private String startedName() {
        // "Started worker-1 (JobRunr worker, 2 workers each). …"
        return model.banner().text().replaceFirst("^Started (\\S+) .*$", "$1");
    }

    @ChildProcesses
    @Test
    void aStartedWorkerShowsRunningAndItsCrashShowsDeadWithAnIncident() throws Exception {
        services.forScreens().settings().updatePolicy(new HostPolicy(Duration.ofSeconds(5), 4, Duration.ofSeconds(30), false));
        model.actions().workersEachProperty().set("2");

        model.actions().startHosts();

        assertThat(model.banner().tone()).isEqualTo(Banner.Tone.SUCCESS);
        String name = startedName();
        assertThat(name).startsWith("worker-");
        HostStatus running = awaitRow(name, HostStatus.State.RUNNING);
        assertThat(running.kind()).isEqualTo(HostRecord.Kind.WORKER);
        assertThat(running.workers()).isEqualTo(2);
        assertThat(running.pid()).isPositive();

        model.table().selectHost(running.id());
        assertThat(model.actions().canCrashProperty().get()).isTrue();
        model.actions().crashSelected();

        assertThat(model.banner().text()).startsWith("Crashed " + name + " with kill -9");
        HostStatus dead = awaitRow(name, HostStatus.State.DEAD);
        assertThat(dead.stopReason()).isEqualTo("killed with kill -9 on purpose");
        assertThat(model.actions().canCrashProperty().get()).as("a dead host cannot be crashed again").isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            model.refreshNow();
            assertThat(model.report().incidents()).anySatisfy(incident -> {
                assertThat(incident.host()).isEqualTo(name);
                assertThat(incident.action()).isEqualTo(Incident.Action.CRASH);
                assertThat(incident.detectedAt()).isNotNull();
            });
        });
        assertThat(model.timing().measuredProperty().get()).isEqualTo("no crash with jobs in flight yet");
    }

    @ChildProcesses
    @Test
    void anInMemoryHostTakesTheTestBatchAndItsCrashShowsTheLossNextToJobRunrsZero() throws Exception {
        services.forScreens().settings().updatePolicy(new HostPolicy(Duration.ofSeconds(5), 4, Duration.ofSeconds(30), false));
        // Nothing listens on this port: the in-memory host cannot send, so it still holds the batch when it dies.
        services.forScreens().outgoing().useServer(SmtpSettings.of("127.0.0.1", 9));
        model.actions().startKindProperty().set(HostActionsModel.StartKind.IN_MEMORY);
        model.actions().workersEachProperty().set("1");
        model.actions().startHosts();
        HostStatus memory = awaitRow(startedName(), HostStatus.State.RUNNING);
        model.table().selectHost(memory.id());
        model.testBatch().batchSizeProperty().set("5");
        assertThat(model.testBatch().batchTargetProperty().get()).isEqualTo("Hand to " + memory.name());

        model.testBatch().sendTestBatch();

        assertThat(model.banner().text()).startsWith("Handed 5 e-mails to " + memory.name() + "'s in-memory queue");
        assertThat(model.report().memoryHandedOverProperty().get()).isEqualTo(5);
        assertThat(model.report().acceptedProperty().get()).as("none became a JobRunr job").isZero();

        model.actions().crashSelected();
        // Issue 19: it said the console "hands its jobs in flight back at once" while all five were lost.
        assertThat(model.banner().text()).startsWith("Crashed " + memory.name() + " with kill -9. It was an in-memory"
                + " queue, like QueueBackgroundWorkItem: the e-mails it held are lost with it")
                .doesNotContain("in flight back").endsWith("No replacement starts (Orphan timing: replace a host that dies is off).");
        awaitRow(memory.name(), HostStatus.State.DEAD);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            model.refreshNow();
            assertThat(model.report().memoryLostProperty().get()).isEqualTo(5);
        });
        assertThat(model.report().lostProperty().get()).isZero();
        assertThat(model.report().memorySentProperty().get()).isZero();
    }

    @Test
    void aTestBatchWithNoHostSelectedIsQueuedAsJobRunrJobsToTheTestRecipients() throws Exception {
        model.testBatch().batchSizeProperty().set("3");

        model.testBatch().sendTestBatch();

        assertThat(model.banner().text()).startsWith("Queued 3 e-mails as durable JobRunr jobs");
        assertThat(model.report().acceptedProperty().get()).isEqualTo(3);
        assertThat(model.report().pendingProperty().get()).isEqualTo(3);
        assertThat(services.forScreens().queries().page(Optional.empty(), 10).rows())
                .extracting(row -> row.recipient())
                .containsExactlyInAnyOrder("user1@example.test", "user2@example.test", "user3@example.test");
    }

    @Test
    void recyclingTheConsolesOwnHostReplacesItAndRecordsTheIncident() throws Exception {
        services.startHost();
        model.refreshNow();
        HostStatus console = model.table().rows().stream().filter(row -> row.kind() == HostRecord.Kind.CONSOLE)
                .findFirst().orElseThrow();
        model.table().selectHost(console.id());
        model.actions().recycleDeadlineProperty().set("2");

        model.actions().recycleSelected();

        // The recycle runs on a background thread; an idle host can finish it before the banner is read.
        assertThat(model.banner().text()).matches("(Recycling " + console.name() + ": it takes no new work|Recycled "
                + console.name() + " in ).*");
        assertThat(services.forScreens().settings().policy().recycleDeadline()).as("the new deadline is kept").isEqualTo(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            model.refreshNow();
            assertThat(model.report().incidents()).anySatisfy(incident -> {
                assertThat(incident.action()).isEqualTo(Incident.Action.RECYCLE);
                assertThat(incident.host()).isEqualTo(console.name());
                assertThat(incident.replacement()).isEqualTo("console-2");
            });
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            model.refreshNow();
            assertThat(model.banner().text()).as("the banner follows the recycle to its end")
                    .matches("Recycled " + console.name() + " in [0-9.]+ m?s \\(deadline 2 s\\); console-2 replaces it\\.");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "", "soon", "2.5"})
    void aRecycleDeadlineThatIsNotMoreThanZeroSecondsIsRefusedWhereItWasTyped(String deadline) throws Exception {
        services.startHost();
        model.refreshNow();
        model.table().selectHost(model.table().rows().get(0).id());
        model.actions().recycleDeadlineProperty().set(deadline);

        model.actions().recycleSelected();

        assertThat(model.errorProperty(HostsModel.Field.RECYCLE_DEADLINE).get()).startsWith("The recycle deadline must be more than 0 s");
        assertThat(model.banner().text()).isEmpty();
        assertThat(services.parts().incidents().recent(10)).isEmpty();
        assertThat(services.forScreens().settings().policy().recycleDeadline()).isEqualTo(Duration.ofSeconds(30));

        model.actions().recycleDeadlineProperty().set("30");
        assertThat(model.errorProperty(HostsModel.Field.RECYCLE_DEADLINE).get()).as("cleared when edited").isEmpty();
    }

    @Test
    void orphanTimingBelowJobRunrsMinimumsIsRefusedAndValidTimingIsSaved() throws Exception {
        model.timing().pollSecondsProperty().set("4");
        model.timing().multiplicandProperty().set("3");

        model.timing().saveTiming();

        assertThat(model.errorProperty(HostsModel.Field.POLL).get()).isEqualTo(
                "The poll interval must be at least 5 s (JobRunr's minimum), in whole seconds.");
        assertThat(model.errorProperty(HostsModel.Field.MULTIPLICAND).get()).isEqualTo(
                "The server timeout must be at least 4 poll intervals (JobRunr's minimum).");
        assertThat(services.forScreens().settings().policy().pollInterval()).isEqualTo(Duration.ofSeconds(5));

        model.timing().pollSecondsProperty().set("10");
        model.timing().multiplicandProperty().set("5");
        assertThat(model.timing().replaceDeadHostsProperty().get()).as("the policy's default").isTrue();
        model.timing().replaceDeadHostsProperty().set(false);
        model.timing().saveTiming();

        assertThat(services.forScreens().settings().policy().pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(services.forScreens().settings().policy().timeoutMultiplicand()).isEqualTo(5);
        assertThat(HostPolicy.load(services.parts().settings()).pollInterval()).as("stored").isEqualTo(Duration.ofSeconds(10));
        assertThat(model.banner().text()).contains("Hosts started from now on use this")
                .endsWith("A host that dies is not replaced.");
        assertThat(HostPolicy.load(services.parts().settings()).replaceDeadHosts()).as("issue 19: the choice is stored")
                .isFalse();
        assertThat(model.timing().expectedSeenProperty().get()).isEqualTo("up to 10.0 s  (one poll)");
        assertThat(model.timing().expectedUnseenProperty().get()).isEqualTo("about 1 min 00 s  (10 s × (5 + 1))");
    }

    @Test
    void startingMoreHostsThanTheMachineHoldsShowsTheLimitAndStartsNone() throws Exception {
        model.actions().startCountProperty().set(supervisor.capacity() + 1);

        model.actions().startHosts();

        assertThat(model.banner().tone()).isEqualTo(Banner.Tone.DANGER);
        assertThat(model.banner().text()).startsWith("Starting hosts failed: This machine holds at most "
                + supervisor.capacity() + " worker hosts");
        assertThat(supervisor.hosts()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "257", "many"})
    void workersPerHostOutsideOneTo256IsRefused(String workers) throws Exception {
        model.actions().workersEachProperty().set(workers);

        model.actions().startHosts();

        assertThat(model.errorProperty(HostsModel.Field.WORKERS).get()).isEqualTo(
                "Enter the workers per host as a number from 1 to 256.");
        assertThat(supervisor.hosts()).isEmpty();
    }

    @Test
    void chaosNeedsAnIntervalOfAtLeastOneSecondAndTurnsOnAndOff() {
        model.chaos().chaosSecondsProperty().set("0");
        model.chaos().setChaos(true);
        assertThat(model.errorProperty(HostsModel.Field.CHAOS_INTERVAL).get()).startsWith("Enter how often to crash a host");
        assertThat(supervisor.chaosInterval()).isEmpty();

        model.chaos().chaosSecondsProperty().set("30");
        model.chaos().setChaos(true);
        assertThat(supervisor.chaosInterval()).contains(Duration.ofSeconds(30));
        assertThat(model.chaos().chaosOnProperty().get()).isTrue();
        assertThat(model.chaos().chaosTextProperty().get()).isEqualTo("0 crashed so far, one every 30 s");

        model.chaos().setChaos(false);
        assertThat(supervisor.chaosInterval()).isEmpty();
        assertThat(model.chaos().chaosOnProperty().get()).isFalse();
        assertThat(model.banner().text()).isEqualTo("Chaos off. It crashed 0 hosts in all.");
    }

    @Test
    void exportWritesTheReportAsJson() throws Exception {
        model.testBatch().batchSizeProperty().set("2");
        model.testBatch().sendTestBatch();
        Path file = tempDir.resolve("report.json");

        model.report().exportReport(file);

        String json = Files.readString(file);
        assertThat(json).contains("\"accepted\" : 2").contains("\"lost\" : 0").contains("\"incidents\"");
        assertThat(model.banner().text()).startsWith("Exported the survival report (0 incidents, lost 0) to " + file);
    }

    @ChildProcesses
    @Test
    void crashingAWorkerMidBatchShowsEachJobsFateAndTheMeasuredRecovery() throws Exception {
        try (SlowSmtpServer smtp = new SlowSmtpServer(Duration.ofMillis(1500))) {
            services.forScreens().outgoing().useServer(SmtpSettings.of("127.0.0.1", smtp.port()));
            // No replacement: the console's own host takes the jobs back, which costs no second worker JVM.
            services.forScreens().settings().updatePolicy(new HostPolicy(Duration.ofSeconds(5), 4, Duration.ofSeconds(30), false));
            model.actions().workersEachProperty().set("4");
            model.actions().startHosts();
            HostStatus worker = awaitRow(startedName(), HostStatus.State.RUNNING);
            model.testBatch().batchSizeProperty().set("4");
            model.testBatch().sendTestBatch();
            await().atMost(WORKER_START).until(() -> services.parts().engine().processingCounts().getOrDefault(worker.id(), 0) > 0);
            model.refreshNow();
            model.table().selectHost(worker.id());

            model.actions().crashSelected();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                model.refreshNow();
                assertThat(model.report().incidents()).isNotEmpty();
            });
            // Only now a host to run them again: the console's own JobRunr server (without the start-up recovery).
            services.parts().engine().startServer();
            SurvivalReport.IncidentReport crash = model.report().incidents().get(0);
            assertThat(crash.action()).isEqualTo(Incident.Action.CRASH);
            assertThat(crash.host()).isEqualTo(worker.name());
            model.report().selectIncident(crash.id());
            assertThat(model.report().fates()).isNotEmpty()
                    .allSatisfy(fate -> assertThat(fate.recipient()).matches("user[1-4]@example\\.test"));
            assertThat(model.report().fatesTitleProperty().get()).startsWith(worker.name() + ": Crash (kill -9) with ");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                model.refreshNow();
                assertThat(model.timing().measuredProperty().get())
                        .matches("\\d+(\\.\\d)? s \\(" + worker.name() + ", \\d+ jobs?\\)");
            });
            assertThat(model.report().fates()).as("the selected incident's fates follow the new reads").allSatisfy(fate -> {
                assertThat(fate.finalState()).isEqualTo("SUCCEEDED");
                assertThat(fate.ranAgainOn()).isEqualTo(services.hostName());
            });
            assertThat(model.report().lostProperty().get()).isZero();
            assertThat(model.report().deliveredProperty().get()).isEqualTo(4);
            assertThat(model.timing().handedBackProperty().get()).as("the console saw the worker exit").matches("\\d+ ms");
        }
    }
}
