package dev.jobdeck.core.hosts;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.core.store.StoreEndpoint;
import dev.jobdeck.testsupport.ChildJvm;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.SlowSmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the process that owns the database, in the middle of a batch: the console runs headless
 * ({@code jobdeck serve}) in a child JVM, the test queues through the store it serves, kills it, and opens the
 * data directory again as a fresh console. Nothing accepted may be lost.
 */
class ConsoleCrashTest {

    @TempDir
    Path temp;

    @ChildProcesses
    @Test
    void killingTheConsoleMidBatchLosesNoAcceptedEmail() throws Exception {
        Path data = temp.resolve("data");
        DataDirectory directory = new DataDirectory(data);
        try (SlowSmtpServer smtp = new SlowSmtpServer(Duration.ofMillis(300))) {
            Process console = startHeadlessConsole(directory, smtp);

            QueueResult batch;
            try (ConsoleServices script = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
                assertThat(script.ownsStore()).as("a script goes through the console's store").isFalse();
                batch = script.parts().queue().queue(Consoles.email(IntStream.rangeClosed(1, 120)
                        .mapToObj(i -> "user" + i + "@example.org").collect(Collectors.joining("\n"))));
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                        script.parts().reports().ledger(Optional.of(batch.batchId())).delivered() >= 5
                                && !script.parts().engine().processingCounts().isEmpty());
            }
            console.destroyForcibly().waitFor();
            assertThat(console.exitValue()).isEqualTo(137);

            try (ConsoleServices relaunched = Consoles.open(data)) {
                assertThat(relaunched.parts().database().recoveredFromUncleanShutdown()).as("indexes checked").isTrue();
                relaunched.startHost();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> relaunched.parts().reports().ledger(Optional.of(batch.batchId())).delivered() == 120);
                SurvivalReport report = relaunched.parts().reports().report(Optional.of(batch.batchId()), 10);
                assertThat(report.ledger().accepted()).isEqualTo(120);
                assertThat(report.ledger().lost()).isZero();
                SurvivalReport.IncidentReport gap = report.incidents().stream()
                        .filter(incident -> incident.action() == Incident.Action.CONSOLE_CRASH).findFirst().orElseThrow();
                assertThat(gap.jobs()).as("jobs in flight when the console died").isNotEmpty();
                assertThat(gap.requeued()).isEqualTo(gap.jobs().size());
                assertThat(report.ledger().reExecuted()).isLessThanOrEqualTo(gap.jobs().size());
                assertThat(smtp.acceptedMessageIds().stream().distinct().count()).isEqualTo(120);
                assertThat(smtp.duplicates().size()).isLessThanOrEqualTo(gap.jobs().size());
            }
        } finally {
            Files.copy(temp.resolve("serve.log"), Path.of("target/console-crash-serve.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println(Files.exists(temp.resolve("serve.log")) ? Files.readString(temp.resolve("serve.log"))
                    .lines().filter(line -> !line.startsWith("\tat ")).collect(Collectors.joining("\n")) : "");
        }
    }

    @ChildProcesses
    @Test
    void aWorkerOutlivesAConsoleCrashAndIsAdoptedByTheNextConsole() throws Exception {
        Path data = temp.resolve("data");
        DataDirectory directory = new DataDirectory(data);
        try (SlowSmtpServer smtp = new SlowSmtpServer(Duration.ofMillis(300))) {
            Process console = startHeadlessConsole(directory, smtp);
            Process worker = ChildJvm.start(temp.resolve("worker.log"), "worker", "--data-dir", data.toString(),
                    "--name", "survivor", "--workers", "4", "--store-patience", "120");
            try {
                QueueResult batch;
                try (ConsoleServices script = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
                    batch = script.parts().queue().queue(Consoles.email(IntStream.rangeClosed(1, 80)
                            .mapToObj(i -> "user" + i + "@example.org").collect(Collectors.joining("\n"))));
                    await().atMost(Duration.ofSeconds(90)).until(() ->
                            script.parts().reports().ledger(Optional.of(batch.batchId())).delivered() >= 5);
                }
                // The worker must be up before its console dies: on a loaded machine its JVM can take longer to start
                // than the console takes to deliver the first e-mails.
                awaitWorkerRunning("survivor");
                console.destroyForcibly().waitFor();
                await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(temp.resolve("worker.log"))
                        .contains("lost the store"));
                assertThat(worker.isAlive()).as("the worker waits for its store").isTrue();

                // The next console does not start a host of its own: only the adopted worker can deliver.
                try (ConsoleServices relaunched = Consoles.open(data)) {
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                            .until(() -> relaunched.parts().reports().ledger(Optional.of(batch.batchId())).delivered() == 80);
                    // The worker heartbeats into the new console's store on its own schedule, a moment after it
                    // may have delivered the last e-mail.
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                            assertThat(relaunched.parts().supervisor().orElseThrow().hosts()).anySatisfy(host -> {
                                assertThat(host.name()).isEqualTo("survivor");
                                assertThat(host.pid()).isEqualTo(worker.pid());
                                assertThat(host.state()).isEqualTo(HostStatus.State.RUNNING);
                            }));
                    assertThat(relaunched.parts().reports().ledger(Optional.of(batch.batchId())).lost()).isZero();
                    await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(temp.resolve("worker.log"))
                            .contains("the store answers again"));
                }
                // Closing that console stops the worker it adopted.
                assertThat(worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            } finally {
                worker.destroyForcibly();
                Files.copy(temp.resolve("worker.log"), Path.of("target/console-crash-worker.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(temp.resolve("serve.log"), Path.of("target/console-crash-serve2.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * Issue 15's drill: the store's owner dies while a worker delivers, and comes back only after JobRunr's server
     * timeout, so the next console finds the worker's jobs orphaned and runs them again while the worker still lives.
     * The worker must not have gone on sending meanwhile, and whatever the server received twice must be in the
     * survival report, whose categories add up to what was accepted.
     */
    @ChildProcesses
    @Test
    void theOwnerDyingWhileAWorkerDeliversLeavesNoDuplicateOutOfTheReport() throws Exception {
        Path data = temp.resolve("data");
        DataDirectory directory = new DataDirectory(data);
        try (SlowSmtpServer smtp = new SlowSmtpServer(Duration.ofMillis(150))) {
            Process console = startHeadlessConsole(directory, smtp);
            Process worker = ChildJvm.start(temp.resolve("worker.log"), "worker", "--data-dir", data.toString(),
                    "--name", "w1", "--workers", "8");
            try {
                awaitWorkerRunning("w1");
                QueueResult batch;
                try (ConsoleServices script = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
                    // 2,000 recipients: bulk jobs of about 30, each some 4.5 s of sending, so the worker holds
                    // plenty still to send when its store goes away.
                    batch = script.parts().queue().queue(Consoles.email(IntStream.rangeClosed(1, EMAILS)
                            .mapToObj(i -> "user" + i + "@example.org").collect(Collectors.joining("\n"))));
                }
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                        .until(() -> smtp.acceptedMessageIds().size() >= 150);
                console.destroyForcibly().waitFor();
                java.time.Instant killed = java.time.Instant.now();
                // Longer than JobRunr's server timeout (5 s poll x 4): the worker's jobs are orphans to the next console.
                Thread.sleep(Duration.ofSeconds(25).toMillis());
                java.time.Instant relaunchedAt = java.time.Instant.now();

                try (ConsoleServices relaunched = Consoles.open(data)) {
                    relaunched.startHost();
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                            .until(() -> relaunched.parts().reports().ledger(Optional.of(batch.batchId())).pending() == 0);
                    assertThat(attemptsStartedBy(relaunched, "w1", killed.plusSeconds(1), relaunchedAt))
                            .as("sends the worker started while it could not reach the store (its journal tells)")
                            .isZero();
                    SurvivalReport report = relaunched.parts().reports().report(Optional.of(batch.batchId()), 10);
                    SurvivalReport.Ledger ledger = report.ledger();
                    assertThat(ledger.accepted()).isEqualTo(EMAILS);
                    assertThat(ledger.lost()).isZero();
                    assertThat(ledger.delivered() + ledger.failed() + ledger.deleted() + ledger.pending() + ledger.lost())
                            .as("every e-mail in one category").isEqualTo(ledger.accepted());
                    assertThat(smtp.acceptedMessageIds().stream().distinct().count()).isEqualTo(EMAILS);
                    assertThat(report.reExecutions()).extracting(SurvivalReport.ReExecution::messageId)
                            .as("every Message-ID the server received twice")
                            .containsAll(smtp.duplicates().keySet());
                    assertThat(ledger.reExecuted()).isEqualTo(report.reExecutions().size());
                }
            } finally {
                worker.destroyForcibly();
                Files.copy(temp.resolve("worker.log"), Path.of("target/owner-crash-drill-worker.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * A copy of a data directory lists the original's hosts as running. The console on the copy must not adopt the
     * original's live worker: it would stop that worker when it closes (found while looking at a copied drill).
     */
    @ChildProcesses
    @Test
    void aConsoleOnACopyOfTheDataDirectoryLeavesTheOriginalsWorkerAlone() throws Exception {
        Path data = temp.resolve("data");
        DataDirectory directory = new DataDirectory(data);
        try (SlowSmtpServer smtp = new SlowSmtpServer(Duration.ofMillis(10))) {
            Process console = startHeadlessConsole(directory, smtp);
            Process worker = ChildJvm.start(temp.resolve("worker.log"), "worker", "--data-dir", data.toString(),
                    "--name", "original", "--workers", "2");
            try {
                awaitWorkerRunning("original");
                console.destroyForcibly().waitFor();
                Path copy = temp.resolve("copy");
                try (var files = Files.walk(data)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.copy(file, copy.resolve(data.relativize(file).toString()));
                    }
                }
                Files.deleteIfExists(copy.resolve("store.endpoint"));

                try (ConsoleServices onCopy = Consoles.open(copy)) {
                    assertThat(onCopy.parts().supervisor().orElseThrow().hosts()).anySatisfy(host -> {
                        assertThat(host.name()).isEqualTo("original");
                        assertThat(host.state()).isEqualTo(HostStatus.State.DEAD);
                    });
                }
                assertThat(worker.isAlive()).as("the original's worker, after the copy's console closed").isTrue();
            } finally {
                worker.destroyForcibly();
            }
        }
    }

    private static final int EMAILS = 2000;

    /** How many attempts host {@code host} started between two instants, as its (folded) ledger entries say. */
    private static long attemptsStartedBy(ConsoleServices console, String host, java.time.Instant after,
                                          java.time.Instant before) throws Exception {
        try (java.sql.Connection connection = console.parts().database().dataSource().getConnection();
             java.sql.PreparedStatement query = connection.prepareStatement(
                     "SELECT COUNT(*) FROM jd_delivery_attempt WHERE host = ? AND started_at > ? AND started_at < ?")) {
            query.setString(1, host);
            query.setObject(2, after.atOffset(java.time.ZoneOffset.UTC));
            query.setObject(3, before.atOffset(java.time.ZoneOffset.UTC));
            try (java.sql.ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Waits until the worker JVM logging to {@code worker.log} says it runs: on a loaded machine that takes a while. */
    private void awaitWorkerRunning(String name) {
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(temp.resolve("worker.log"))
                .contains(name + ": running"));
    }

    /** A data directory that sends to {@code smtp}, served by {@code jobdeck serve} in a child JVM. */
    private Process startHeadlessConsole(DataDirectory directory, SlowSmtpServer smtp) throws Exception {
        try (ConsoleServices setup = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
            setup.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", smtp.port()));
        }
        Process console = ChildJvm.start(temp.resolve("serve.log"), "serve", "--data-dir", directory.path().toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> StoreEndpoint.read(directory)
                .filter(endpoint -> endpoint.pid() == console.pid()).isPresent());
        return console;
    }
}
