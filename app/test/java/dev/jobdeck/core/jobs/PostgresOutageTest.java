package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreHealth;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.Slow;
import dev.jobdeck.testsupport.StoreKind;
import dev.jobdeck.testsupport.SlowSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away while a host delivers (issue 17's bad input): the console says the store is not answering,
 * the host waits and reconnects when the server is back, and nothing accepted is lost.
 */
@Slow // an outage drill: the server taken down and brought back while a host delivers
class PostgresOutageTest {

    @TempDir
    Path temp;

    private SlowSmtpServer smtp;
    private ConsoleServices console;

    @AfterEach
    void close() throws Exception {
        PostgresServer.start();
        if (console != null) {
            console.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    void aHostRidesOutPostgresGoingAwayAndLosesNothing() throws Exception {
        PostgresServer.Database store = PostgresServer.freshDatabase();
        smtp = new SlowSmtpServer(Duration.ofMillis(300));
        DataDirectory directory = StoreKind.directoryOn(store, new DataDirectory(temp.resolve("console")));
        console = ConsoleServices.open(directory, ConsoleServices.Options.console());
        console.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", smtp.port()));
        List<StoreHealth> heard = new ArrayList<>();
        console.onStoreHealthChange(health -> {
            synchronized (heard) {
                heard.add(health);
            }
        });
        QueueResult batch = console.parts().queue().queue(Consoles.email(IntStream.range(0, 40)
                .mapToObj(i -> "r" + i + "@example.org").collect(Collectors.joining(",\n"))));
        console.startHost();
        await().atMost(Duration.ofSeconds(60)).until(() -> smtp.acceptedMessageIds().size() >= 5);

        PostgresServer.stop();
        await().atMost(Duration.ofSeconds(60)).until(() -> !console.storeHealth().isWell());
        String said = console.storeHealth().message();
        PostgresServer.start();

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> console.parts().reports().ledger(Optional.of(batch.batchId())).delivered() == 40);
        SurvivalReport.Ledger ledger = console.parts().reports().ledger(Optional.of(batch.batchId()));
        assertThat(ledger.accepted()).isEqualTo(40);
        assertThat(ledger.lost()).isZero();
        assertThat(smtp.acceptedMessageIds().stream().distinct().count()).isEqualTo(40);
        assertThat(ledger.reExecuted()).isGreaterThanOrEqualTo(smtp.duplicates().size());
        assertThat(said).as("what the console said while PostgreSQL was away").isNotBlank();
        await().atMost(Duration.ofSeconds(60)).until(() -> console.storeHealth().isWell());
        System.out.println("While PostgreSQL was away the console said: " + said);
    }
}
