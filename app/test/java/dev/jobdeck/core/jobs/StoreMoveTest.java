package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.SqlDialect;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocationRefusedException;
import dev.jobdeck.core.store.StoreLocations;
import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.StoreGenerator;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code jobdeck store move}'s core on a real H2 store of a few hundred jobs and a real, fresh PostgreSQL database. */
class StoreMoveTest {

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
    void aStoreOfHundredsOfJobsMovesWholeAndRunsOnPostgresWhileTheH2FileStaysAsItWas() throws Exception {
        Path dir = temp.resolve("store");
        StoreGenerator.generate(dir, 300, 11, StoreGenerator.Mix.realistic(), written -> { });
        DataDirectory directory = new DataDirectory(dir);
        UUID processing = leaveOneEnqueuedJobProcessing(directory);
        Map<JobState, Long> countsBefore;
        SurvivalReport.Ledger ledgerBefore;
        try (ConsoleServices h2 = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
            countsBefore = h2.parts().queries().counts().byState();
            ledgerBefore = h2.parts().reports().ledger(Optional.empty());
        }
        assertThat(countsBefore.get(JobState.PROCESSING)).isEqualTo(1);
        String checksum = sha256(directory.databaseFile());
        PostgresServer.Database store = PostgresServer.freshDatabase();
        List<String> progress = new CopyOnWriteArrayList<>();

        StoreMove.Result result = StoreMove.run(directory, (StoreLocation.Postgres) StoreLocation.parse(store.url()),
                store.user(), store.password(), (table, rows) -> progress.add(table + " " + rows));

        assertThat(result.verified()).as(result.counts().toString()).isTrue();
        assertThat(result.requeued()).isEqualTo(1);
        assertThat(result.counts()).extracting(StoreMove.Count::what)
                .contains("jobrunr_jobs", "jobrunr_recurring_jobs", "jd_email", "jd_delivery_attempt", "jd_setting",
                        "jd_ledger_total", "  jobs ENQUEUED", "  jobs SUCCEEDED", "  jobs FAILED", "  jobs SCHEDULED");
        assertThat(result.counts()).filteredOn(count -> count.what().equals("jobrunr_jobs"))
                .singleElement().extracting(StoreMove.Count::target).isEqualTo(300L);
        assertThat(progress).contains("jobrunr_jobs 300");
        assertThat(sha256(directory.databaseFile())).as("the H2 file, byte for byte").isEqualTo(checksum);
        assertThat(Files.readString(directory.storeLocationFile())).contains("moved.from=");

        // The directory now opens on PostgreSQL (the password kept as `--password-stdin` keeps it), with the same store.
        new StorePasswordVault(Secrets.forDirectory(directory, Map.of())).save(store.password());
        Map<JobState, Long> expected = new java.util.EnumMap<>(countsBefore);
        expected.merge(JobState.ENQUEUED, expected.remove(JobState.PROCESSING), Long::sum);
        try (ConsoleServices moved = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
            assertThat(moved.parts().database().dialect()).isEqualTo(SqlDialect.POSTGRESQL);
            assertThat(moved.parts().queries().counts().byState()).containsAllEntriesOf(expected);
            assertThat(moved.parts().queries().recurring()).hasSize(3);
            await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(moved.parts().reports().ledger(Optional.empty())).isEqualTo(ledgerBefore));
            assertThat(moved.parts().reports().recomputedLedger()).isEqualTo(ledgerBefore);
            JobDetail detail = moved.parts().queries().detail(processing).orElseThrow();
            assertThat(detail.toString()).contains(StoreMove.REQUEUE_REASON);
        }

        // A host on the PostgreSQL store delivers the job that was Processing when the H2 store stopped.
        ConsoleServices console = ConsoleServices.open(directory, ConsoleServices.Options.console());
        opened.add(console);
        console.startHost();
        awaitState(console, processing, StateName.SUCCEEDED);
        assertThat(console.sink().orElseThrow().messages()).extracting(m -> m.messageId())
                .contains(MessageIds.forJob(processing));
    }

    @Test
    void aTargetHoldingAnyRowIsRefusedAndLeftAsItWas() throws Exception {
        Path dir = temp.resolve("store");
        StoreGenerator.generate(dir, 40, 3, StoreGenerator.Mix.realistic(), written -> { });
        DataDirectory directory = new DataDirectory(dir);
        PostgresServer.Database store = PostgresServer.freshDatabase();
        try (Database target = Database.openShared(new DataDirectory(temp.resolve("other")), store.jdbcUrl(),
                store.user(), store.password(), 2);
             Connection connection = target.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO jd_template (name, subject, body, format, text_alt, updated_at)"
                    + " VALUES ('welcome', 'Hi', 'Hello', 'TEXT', '', now())");
        }

        assertThatThrownBy(() -> StoreMove.run(directory, (StoreLocation.Postgres) StoreLocation.parse(store.url()),
                store.user(), store.password(), (table, rows) -> { }))
                .isInstanceOf(StoreLocationRefusedException.class)
                .hasMessageContaining("is not an empty store").hasMessageContaining("1 in jd_template");

        try (Connection connection = store.connect(); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "jd_template")).isEqualTo(1);
            assertThat(count(statement, "jd_email")).isZero();
            assertThat(count(statement, "jobrunr_jobs")).isZero();
        }
        assertThat(StoreLocations.read(directory)).isInstanceOf(StoreLocation.Embedded.class);
    }

    @Test
    void aDirectoryWithoutAnEmbeddedStoreIsRefusedWithNothingWritten() throws Exception {
        DataDirectory directory = new DataDirectory(temp.resolve("empty"));
        Files.createDirectories(directory.path());

        assertThatThrownBy(() -> StoreMove.run(directory,
                (StoreLocation.Postgres) StoreLocation.parse("postgresql://127.0.0.1:1/none"), "ops", "pw",
                (table, rows) -> { }))
                .isInstanceOf(StoreLocationRefusedException.class).hasMessageContaining("has no embedded H2 store");
        try (var files = Files.list(directory.path())) {
            assertThat(files).isEmpty();
        }
    }

    /** A job Processing in a store that then stopped, as a host killed mid-delivery leaves it. */
    private static UUID leaveOneEnqueuedJobProcessing(DataDirectory directory) throws Exception {
        try (ConsoleServices services = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
            String id;
            try (Connection connection = services.parts().database().dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT id FROM jobrunr_jobs WHERE state = 'ENQUEUED'"
                         + " ORDER BY id FETCH FIRST 1 ROWS ONLY")) {
                rows.next();
                id = rows.getString(1);
            }
            Job job = services.parts().engine().storage().getJobById(UUID.fromString(id));
            List<org.jobrunr.jobs.states.JobState> states = new ArrayList<>(job.getJobStates());
            states.add(new ProcessingState(UUID.randomUUID(), "gone-host", Instant.now()));
            Job processing = new Job(job.getId(), job.getVersion(), job.getJobDetails(), states,
                    new ConcurrentHashMap<>(job.getMetadata()));
            services.parts().engine().storage().save(processing);
            return job.getId();
        }
    }

    private static long count(Statement statement, String table) throws Exception {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
