package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.ChildJvm;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.StoreKind;
import dev.jobdeck.testsupport.SlowSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker JVM on a PostgreSQL store, in a data directory of its own, killed with {@code kill -9} mid-batch (issue
 * 17): no console supervises it, so JobRunr's own server timeout finds it dead and hands its jobs back; another host
 * delivers them, and the survival report says nothing was lost and names every e-mail that may have arrived twice.
 */
class PostgresWorkerCrashTest {

    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path temp;

    private SlowSmtpServer smtp;
    private ConsoleServices console;
    private Process worker;

    @AfterEach
    void close() throws Exception {
        if (worker != null) {
            worker.destroyForcibly().waitFor();
        }
        if (console != null) {
            console.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    @ChildProcesses
    @Test
    void killingAWorkerOnPostgresLosesNoEmailAndItsJobsRunAgainElsewhere() throws Exception {
        PostgresServer.Database store = PostgresServer.freshDatabase();
        smtp = new SlowSmtpServer(Duration.ofMillis(1500));
        // The console's own host is not started: only the worker takes jobs until it dies.
        console = ConsoleServices.open(directoryOn(store, "console"), ConsoleServices.Options.console());
        console.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", smtp.port()));
        DataDirectory elsewhere = directoryOn(store, "worker");
        worker = ChildJvm.start(temp.resolve("worker.out"), "worker", "--data-dir", elsewhere.path().toString(),
                "--name", "remote-1", "--workers", "4");
        QueueResult batch = console.parts().queue().queue(Consoles.email(IntStream.range(0, 40)
                .mapToObj(i -> "r" + i + "@example.org").collect(Collectors.joining(",\n"))));

        await().atMost(BATCH_TIMEOUT).until(() -> !smtp.acceptedMessageIds().isEmpty()
                && console.parts().queries().counts().of(JobState.PROCESSING) > 0);
        worker.destroyForcibly().waitFor();
        Instant killed = Instant.now();
        long inFlight = console.parts().queries().counts().of(JobState.PROCESSING);
        console.startHost();

        await().atMost(BATCH_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> console.parts().reports().ledger(Optional.of(batch.batchId())).delivered() == 40);
        SurvivalReport.Ledger ledger = console.parts().reports().ledger(Optional.of(batch.batchId()));
        assertThat(ledger.accepted()).isEqualTo(40);
        assertThat(ledger.lost()).isZero();
        assertThat(smtp.acceptedMessageIds().stream().distinct().count()).isEqualTo(40);
        // Only e-mails cut off mid-send can have arrived twice, and the report names each of them.
        assertThat(smtp.duplicates().size()).isLessThanOrEqualTo((int) inFlight);
        assertThat(ledger.reExecuted()).isGreaterThanOrEqualTo(smtp.duplicates().size());
        System.out.printf("kill -9 of a worker on PostgreSQL with %d in flight: all 40 delivered %s after the kill%n",
                inFlight, Duration.between(killed, Instant.now()));
    }

    /** A data directory that remembers the store and keeps its password, as {@code --store … --password-stdin} leaves it. */
    private DataDirectory directoryOn(PostgresServer.Database store, String name) throws Exception {
        return StoreKind.directoryOn(store, new DataDirectory(temp.resolve(name)));
    }
}
