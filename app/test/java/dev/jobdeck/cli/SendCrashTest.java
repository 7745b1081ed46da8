package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreEndpoint;
import dev.jobdeck.testsupport.ChildJvm;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code jobdeck send} in a real child JVM, with {@code kill -9} of the console that serves the store or of the
 * send itself: whatever the moment, the exit code tells the truth, no stack trace reaches the terminal, a retry with
 * the same key never queues twice, and the e-mails a killed send committed get their jobs from the running console.
 */
@ChildProcesses
class SendCrashTest {

    /** With one job per e-mail, a send that creates its jobs itself spends seconds doing it after its commit. */
    private static final int COUNT = 10_000;

    @TempDir
    Path temp;

    @Test
    void aSendKilledAfterItsCommitIsQueuedByTheRunningConsole() throws Exception {
        Path data = temp.resolve("data");
        try (ConsoleServices console = Consoles.open(data)) {
            console.parts().liveSettings().updateDelivery(new DeliverySettings(1, 0, 0));
            Process send = ChildJvm.start(temp.resolve("send.log"), "send", "--data-dir", data.toString(),
                    "--to", "ops@example.org", "--subject", "drill", "--count", Integer.toString(COUNT));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                    .until(() -> emailRows(console) > 0 || !send.isAlive());
            send.destroyForcibly().waitFor();
            assertThat(emailRows(console)).as(Files.readString(temp.resolve("send.log"))).isEqualTo(COUNT);

            // No restart: the console that runs gives the e-mails their jobs.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Consoles.total(console) == COUNT);
            SurvivalReport.Ledger ledger = console.parts().reports().ledger(Optional.empty());
            assertThat(ledger.accepted()).isEqualTo(COUNT);
            assertThat(ledger.lost()).isZero();
        }
    }

    @Test
    void killingTheConsoleAfterTheCommitNeverSaysRefusedAndARetryWithTheKeyQueuesNothingTwice() throws Exception {
        DataDirectory directory = new DataDirectory(temp.resolve("data"));
        oneJobPerEmail(directory);
        Process serve = startServe(directory, "serve.log");
        try {
            Process send = send(directory, "send.log", "drill-1");
            try (ConsoleServices script = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                        .until(() -> emailRows(script) > 0 || !send.isAlive());
            }
            serve.destroyForcibly().waitFor();
            assertThat(send.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(temp.resolve("send.log"));
            assertThat(send.exitValue()).as(output).isIn(0, SendCommand.UNKNOWN);
            assertOneSentencePerProblem(output);

            serve = startServe(directory, "serve2.log");
            Process retry = send(directory, "retry.log", "drill-1");
            assertThat(retry.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String retried = Files.readString(temp.resolve("retry.log"));
            assertThat(retry.exitValue()).as(retried).isZero();
            if (send.exitValue() == 0) {
                // "Queued" was said, so the retry must find that batch; after "unknown" it may or may not.
                assertThat(retried).contains("Already queued as batch " + batchOf(output));
            }
            assertQueuedOnce(directory);
        } finally {
            serve.destroyForcibly().waitFor();
        }
    }

    @Test
    void killingTheConsoleBeforeTheCommitIsConfirmedSaysNothingOrUnknownAndARetryQueuesOnce() throws Exception {
        DataDirectory directory = new DataDirectory(temp.resolve("data"));
        oneJobPerEmail(directory);
        Process serve = startServe(directory, "serve.log");
        try {
            Process send = send(directory, "send.log", "drill-2");
            // The batch is named before the commit is tried: the console dies while the rows are being written.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                    .until(() -> Files.readString(temp.resolve("send.log")).contains("Queueing ") || !send.isAlive());
            serve.destroyForcibly().waitFor();
            assertThat(send.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(temp.resolve("send.log"));
            assertThat(send.exitValue()).as(output).isIn(0, ScriptStore.UNREADABLE, SendCommand.UNKNOWN);
            assertOneSentencePerProblem(output);

            serve = startServe(directory, "serve2.log");
            Process retry = send(directory, "retry.log", "drill-2");
            assertThat(retry.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(retry.exitValue()).as(Files.readString(temp.resolve("retry.log"))).isZero();
            assertQueuedOnce(directory);
        } finally {
            serve.destroyForcibly().waitFor();
        }
    }

    @Test
    void aSendThroughTheConsoleWakesAWorkerInAnotherProcessAtOnce() throws Exception {
        Path data = temp.resolve("data");
        try (ConsoleServices console = Consoles.open(data)) {
            // Without a wake-up the worker would find the e-mails at its next poll, two minutes after its first.
            console.parts().liveSettings().updatePolicy(new HostPolicy(Duration.ofSeconds(120), 4, Duration.ofSeconds(30), false));
            Process worker = ChildJvm.start(temp.resolve("worker.log"), "worker", "--data-dir", data.toString(),
                    "--name", "remote", "--workers", "4");
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(temp.resolve("worker.log"))
                        .contains("remote: running") && !console.parts().engine().servers().isEmpty());
                Process send = ChildJvm.start(temp.resolve("send.log"), "send", "--data-dir", data.toString(),
                        "--to", "ops@example.org", "--subject", "wake", "--count", "5");
                assertThat(send.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(send.exitValue()).as(Files.readString(temp.resolve("send.log"))).isZero();

                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> console.parts().reports().ledger(Optional.empty()).delivered() == 5);
                assertThat(console.parts().engine().isServerRunning()).as("the console's own host never ran").isFalse();
            } finally {
                worker.destroyForcibly().waitFor();
            }
        }
    }

    /** A bulk size of 1: 10,000 jobs to create, which takes seconds, rather than 75. */
    private static void oneJobPerEmail(DataDirectory directory) throws Exception {
        try (ConsoleServices setup = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
            setup.parts().liveSettings().updateDelivery(new DeliverySettings(1, 0, 0));
        }
    }

    private Process startServe(DataDirectory directory, String log) throws Exception {
        Process serve = ChildJvm.start(temp.resolve(log), "serve", "--data-dir", directory.path().toString());
        await().atMost(Duration.ofSeconds(120)).until(() -> StoreEndpoint.read(directory)
                .filter(endpoint -> endpoint.pid() == serve.pid()).isPresent() || !serve.isAlive());
        assertThat(serve.isAlive()).as(Files.readString(temp.resolve(log))).isTrue();
        return serve;
    }

    private Process send(DataDirectory directory, String log, String key) throws Exception {
        return ChildJvm.start(temp.resolve(log), "send", "--data-dir", directory.path().toString(),
                "--to", "ops@example.org", "--subject", "drill", "--count", Integer.toString(COUNT), "--key", key);
    }

    /** The batch a send named before it tried its commit. */
    private static String batchOf(String output) {
        int at = output.indexOf("as batch ") + "as batch ".length();
        return output.substring(at, output.indexOf(' ', at));
    }

    /** Every e-mail of the key's batch is in the outbox once and has its job; nothing was lost. */
    private static void assertQueuedOnce(DataDirectory directory) throws Exception {
        try (ConsoleServices script = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
            assertThat(emailRows(script)).isEqualTo(COUNT);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> script.parts().reports().ledger(Optional.empty()).lost() == 0
                            && emailsWithoutJob(script) == 0);
            assertThat(script.parts().reports().ledger(Optional.empty()).accepted()).isEqualTo(COUNT);
        }
    }

    /** Sentences only: no Java stack trace, exception class name or library logging. */
    private static void assertOneSentencePerProblem(String output) {
        List<String> lines = new ArrayList<>(output.lines().filter(line -> !line.startsWith("SLF4J:")).toList());
        assertThat(lines).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
    }

    private static long emailRows(ConsoleServices services) throws SQLException {
        return count(services, "SELECT COUNT(*) FROM jd_email");
    }

    private static long emailsWithoutJob(ConsoleServices services) throws SQLException {
        return count(services, "SELECT COUNT(*) FROM jd_email e WHERE NOT EXISTS"
                + " (SELECT 1 FROM jobrunr_jobs j WHERE j.id = COALESCE(e.bulk_job_id, e.job_id))");
    }

    private static long count(ConsoleServices services, String sql) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
