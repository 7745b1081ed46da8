package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.jobrunr.JobRunrSchema;
import dev.jobdeck.core.jobs.jobrunr.StateCounters;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.Consoles;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What JobDeck's triggers keep (decision 25), for writes by the application user too (decision 22): the per-state
 * counters on JobRunr's table always equal a count of its rows, and an attempt names its bulk job.
 */
class JobCountersTest {

    @TempDir
    Path temp;

    @Test
    void countersFollowEveryWriteOfTheApplicationUser() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            console.parts().liveSettings().updateDelivery(new DeliverySettings(1, 0, 0));
            // Due tomorrow, so the console's own host leaves them where they are.
            List<UUID> jobs = console.parts().queue().queue(new SendRequest("ops@jobdeck.test",
                    IntStream.range(0, 30).mapToObj(i -> "r" + i + "@example.org").collect(Collectors.joining(", ")),
                    "", "", "Hi", "Body", new When.After(Duration.ofDays(1)))).jobIds();
            assertThat(jobs).hasSize(30);

            // A script goes through the console's port as JOBDECK_APP, no admin (decision 22).
            try (ConsoleServices script = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly())) {
                assertThat(script.parts().database().ownsFile()).isFalse();
                script.parts().commands().delete(jobs.subList(0, 10));
                script.parts().engine().storage().deletePermanently(jobs.get(0));
                try (Connection connection = script.parts().database().dataSource().getConnection()) {
                    copyJob(connection, jobs.get(20));
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement()) {
                        statement.executeUpdate("UPDATE jobrunr_jobs SET state = 'FAILED'");
                    }
                    connection.rollback();
                    connection.setAutoCommit(true);
                    // Enough changes that a count folds them into the totals, and then some after the fold.
                    try (Statement statement = connection.createStatement()) {
                        for (int i = 0; i < 50; i++) {
                            statement.executeUpdate("UPDATE jobrunr_jobs SET state = '"
                                    + (i % 2 == 0 ? StateName.ENQUEUED : StateName.SCHEDULED) + "' WHERE state <> 'DELETED'");
                            if (i == 45) {
                                assertThat(script.parts().queries().counts().byState()).containsAllEntriesOf(scanned(connection));
                            }
                        }
                    }
                }
                assertThat(script.parts().queries().counts().byState()).containsAllEntriesOf(scannedBy(script));
            }
            Map<JobState, Long> counts = console.parts().queries().counts().byState();
            assertThat(counts).containsAllEntriesOf(scannedBy(console));
            assertThat(counts.get(JobState.DELETED)).isEqualTo(9);
            assertThat(counts.get(JobState.ENQUEUED)).isEqualTo(0);
            assertThat(counts.get(JobState.SCHEDULED)).isEqualTo(21);
        }
    }

    @Test
    void aStoreFromBeforeTheCountersStartsThemFromItsRows() throws Exception {
        try (ConsoleServices store = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly())) {
            new JobRowsFixture(store.parts().database().dataSource()).singles(500);
            try (Connection connection = store.parts().database().dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP TRIGGER " + JobRunrSchema.COUNT_TRIGGER);
                statement.execute("DROP TABLE " + JobRunrSchema.COUNT_TABLE);
                statement.execute("DROP TABLE " + JobRunrSchema.COUNT_CHANGE_TABLE);
                // Nor the migration history that came after them (decision 34).
                statement.execute("DROP TABLE jd_schema_history");
            }
        }
        try (ConsoleServices store = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly())) {
            assertThat(store.parts().queries().counts().byState()).containsAllEntriesOf(scannedBy(store));
            assertThat(store.parts().queries().counts().total()).isEqualTo(500);
        }
    }

    @Test
    void theConsoleFoldsTheChangesWhenNoScreenCounts() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            Map<JobState, Long> before = console.parts().queries().counts().byState();
            // What thousands of state changes leave behind, netting to nothing, with no screen reading the counts.
            try (Connection connection = console.parts().database().dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO " + JobRunrSchema.COUNT_CHANGE_TABLE + " (state, delta)"
                        + " SELECT 'SUCCEEDED', CASE WHEN MOD(X, 2) = 0 THEN 1 ELSE -1 END FROM SYSTEM_RANGE(1, "
                        + (JobRunrSchema.FOLD_AFTER * 2) + ")");
            }

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> changes(console) == 0);
            assertThat(console.parts().queries().counts().byState()).isEqualTo(before);
        }
    }

    private static long changes(ConsoleServices services) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + JobRunrSchema.COUNT_CHANGE_TABLE)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void anAttemptTheApplicationUserWritesNamesItsBulkJob() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            UUID bulk = new JobRowsFixture(console.parts().database().dataSource()).bulk("member", 3, "Campaign");
            try (ConsoleServices script = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly());
                 Connection connection = script.parts().database().dataSource().getConnection();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO jd_delivery_attempt (job_id,"
                         + " attempt, email_id, host, started_at, outcome, message_id) SELECT e.job_id, 3, e.id, 'worker-9',"
                         + " CURRENT_TIMESTAMP, 'STARTED', 'm' FROM jd_email e WHERE e.to_addr = 'member1@bulk.example'")) {
                assertThat(script.parts().database().ownsFile()).isFalse();
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            JobRow row = console.parts().queries().page(JobFilter.ALL.withSearch("member1@"), PageRequest.first(10)).rows().get(0);
            assertThat(row.jobId()).isEqualTo(bulk);
            assertThat(row.host()).isEqualTo("worker-9");
            assertThat(row.attempts()).isEqualTo(3);
        }
    }

    private static void copyJob(Connection connection, UUID job) throws SQLException {
        try (PreparedStatement copy = connection.prepareStatement("INSERT INTO jobrunr_jobs (id, version, jobAsJson,"
                + " jobSignature, state, createdAt, updatedAt, scheduledAt) SELECT ?, version, jobAsJson, jobSignature,"
                + " state, createdAt, updatedAt, scheduledAt FROM jobrunr_jobs WHERE id = ?")) {
            copy.setString(1, UUID.randomUUID().toString());
            copy.setString(2, job.toString());
            assertThat(copy.executeUpdate()).isEqualTo(1);
        }
    }

    private static Map<JobState, Long> scannedBy(ConsoleServices services) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection()) {
            return scanned(connection);
        }
    }

    private static Map<JobState, Long> scanned(Connection connection) throws SQLException {
        return StateCounters.scannedCounts(connection);
    }
}
