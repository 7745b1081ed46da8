package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.SqlDialect;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.StoreKind;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path on a store in PostgreSQL (issue 17): a console and a worker host in data directories of their own,
 * sharing one PostgreSQL database and nothing else: no served H2, no file of each other's.
 */
class PostgresStoreDeliveryTest {

    @TempDir
    Path temp;

    private final List<ConsoleServices> opened = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aConsoleAndAWorkerInOtherDirectoriesDeliverThroughOnePostgresStore() throws Exception {
        PostgresServer.Database store = PostgresServer.freshDatabase();
        ConsoleServices console = open(directoryOn(store, "console"), ConsoleServices.Options.console());
        assertThat(console.parts().database().dialect()).isEqualTo(SqlDialect.POSTGRESQL);
        assertThat(console.forScreens().storeDescription()).isEqualTo("The PostgreSQL store at 127.0.0.1:" + store.port() + "/"
                + store.name());
        assertThat(console.forScreens().testStoreConnection().sentence()).startsWith("Connected as " + store.user() + " in ")
                .contains(": PostgreSQL 1").containsPattern("(encrypted \\(TLS\\)|not encrypted)\\.$");

        QueueResult first = console.parts().queue().queue(Consoles.email("ann@example.org,\nbob@example.org"));
        assertThat(console.parts().queries().counts().of(JobState.ENQUEUED)).isEqualTo(2);
        console.startHost();
        first.jobIds().forEach(id -> awaitState(console, id, StateName.SUCCEEDED));

        // A worker host of its own directory: it reaches the store through PostgreSQL, not through the console.
        ConsoleServices worker = open(directoryOn(store, "worker"), ConsoleServices.Options.worker("worker-1", 2));
        console.parts().engine().stopServer("the worker takes over");
        worker.startHost();
        // Three hundred recipients: bulk jobs (decision 10), whose delivery reads the outbox's members and journals attempts.
        String many = IntStream.range(0, 300).mapToObj(i -> "r" + i + "@example.org").collect(Collectors.joining(",\n"));
        QueueResult second = console.parts().queue().queue(Consoles.email(many));
        Set<UUID> bulkJobs = new LinkedHashSet<>(second.jobIds());
        assertThat(bulkJobs).as("bulk jobs").hasSizeLessThan(300);
        bulkJobs.forEach(id -> awaitState(console, id, StateName.SUCCEEDED));

        assertThat(console.sink().orElseThrow().messages()).hasSize(302).extracting(ReceivedMail::messageId)
                .containsAll(first.jobIds().stream().map(MessageIds::forJob).toList());
        assertThat(console.parts().queries().detail(second.jobIds().get(0)).orElseThrow().attempts())
                .allSatisfy(attempt -> assertThat(attempt.host()).isEqualTo("worker-1"));
        assertThat(console.parts().queries().counts().byState())
                .containsAllEntriesOf(Map.of(JobState.SUCCEEDED, 2L + bulkJobs.size()));
        await().atMost(Consoles.JOB_TIMEOUT).untilAsserted(() -> {
            SurvivalReport.Ledger ledger = console.parts().reports().ledger(Optional.empty());
            assertThat(ledger).isEqualTo(console.parts().reports().recomputedLedger());
            assertThat(ledger.accepted()).isEqualTo(302);
            assertThat(ledger.delivered()).isEqualTo(302);
            assertThat(ledger.lost()).isZero();
        });
    }

    private ConsoleServices open(DataDirectory directory, ConsoleServices.Options options) throws Exception {
        ConsoleServices services = ConsoleServices.open(directory, options);
        opened.add(services);
        return services;
    }

    /** A data directory that remembers the store and keeps its password, as {@code --store … --password-stdin} leaves it. */
    private DataDirectory directoryOn(PostgresServer.Database store, String name) throws Exception {
        return StoreKind.directoryOn(store, new DataDirectory(temp.resolve(name)));
    }
}
