package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.jobrunr.KeyText;
import dev.jobdeck.testsupport.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sort keys and words of the Jobs screen (decision 30) on PostgreSQL, kept by the store's PL/pgSQL functions
 * (decision 39): for the same writes, the same rows as H2's Java trigger {@link JobKeysTrigger} keeps, row for row.
 */
class JobKeysOnPostgresTest {

    private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");
    private static final String FAILED_JSON = "{\"jobHistory\":[{\"@class\":\"org.jobrunr.jobs.states.EnqueuedState\"},"
            + "{\"@class\":\"org.jobrunr.jobs.states.FailedState\",\"message\":\"An exception occurred during the"
            + " performance of the job\",\"exceptionMessage\":\"Relay-Host refused: déjà vu, Größe 42\"}]}";

    @TempDir
    Path temp;

    @Test
    void theSameWritesLeaveTheSameKeysAndWordsOnH2AndOnPostgres() throws Exception {
        List<List<Object>> h2Keys;
        List<List<Object>> h2Words;
        try (ConsoleServices store = StoreKind.H2.open(temp.resolve("h2"), ConsoleServices.Options.storeOnly())) {
            write(store);
            h2Keys = rows(store, "SELECT job_id, recipient, subject, tries, host, code, reply FROM jd_job_key");
            h2Words = rows(store, "SELECT word, job_id FROM jd_job_word");
        }
        try (ConsoleServices store = StoreKind.POSTGRESQL.open(temp.resolve("pg"), ConsoleServices.Options.storeOnly())) {
            write(store);

            assertThat(rows(store, "SELECT job_id, recipient, subject, tries, host, code, reply FROM jd_job_key"))
                    .containsExactlyElementsOf(h2Keys);
            assertThat(rows(store, "SELECT word, job_id FROM jd_job_word")).containsExactlyElementsOf(h2Words);
        }
        // What the comparison covers: every kind of key, and words of subjects, error replies and failure messages.
        assertThat(h2Keys).hasSize(6);
        assertThat(h2Words).extracting(row -> row.get(0)).contains("café", "école", "straße", "οδος", "2024", "greylisted",
                "mailbox", "déjà", "größe", "relay", "merged", "a".repeat(KeyText.WORD))
                .doesNotContain("queued", "250");
    }

    /** Writes as JobRunr and JobDeck's delivery do, in an order that takes every path of the trigger. */
    private static void write(ConsoleServices store) throws SQLException {
        try (Connection connection = store.parts().database().dataSource().getConnection()) {
            // A single job: its e-mail first (as sent), then the job; attempts, one of them rewritten; then it fails.
            email(connection, id(1), "A", null, "Ann.Lee@Example.ORG",
                    "Café crème: ÉCOLE Straße_2024 ΟΔΟΣ " + "a".repeat(KeyText.WORD + 5));
            job(connection, "A", "ENQUEUED", "{}");
            attempt(connection, "A", 1, id(1), "mx-1.example", 1, "TRANSIENT_FAILURE", 451, "451 4.7.1 Greylisted, try again");
            attempt(connection, "A", 2, id(1), "mx-2.example", 2, "PERMANENT_FAILURE", 550, "550 5.1.1 User unknown  ");
            execute(connection, "UPDATE jd_delivery_attempt SET smtp_reply = '550 5.2.2 Mailbox full' WHERE job_id = '"
                    + jobId("A") + "' AND attempt = 2");
            execute(connection, "UPDATE jobrunr_jobs SET state = 'FAILED', jobAsJson = '" + FAILED_JSON.replace("'", "''")
                    + "', version = 2 WHERE id = '" + jobId("A") + "'");
            // A bulk job before its e-mails (a generated store), recipients out of address order, attempts at each.
            job(connection, "B", "PROCESSING", "{}");
            email(connection, id(2), "B2", "B", "zed@bulk.example", "Hello Zed");
            email(connection, id(3), "B3", "B", "amy@bulk.example", "Hello Amy merged");
            attempt(connection, "B2", 1, id(2), "mx-3.example", 3, "SENT", 250, "250 2.0.0 Ok: queued");
            attempt(connection, "B3", 1, id(3), "mx-4.example", 4, "TRANSIENT_FAILURE", 421, "421 Too many connections");
            attempt(connection, "B3", 2, id(3), "mx-5.example", 5, "SENT", 250, "250 Ok");
            // A job before its own e-mail, then an attempt that reached no server.
            job(connection, "C", "ENQUEUED", "{}");
            email(connection, id(4), "C", null, "carl@example.net", "  Spaced   subject  ");
            attempt(connection, "C", 1, id(4), null, 6, "TRANSIENT_FAILURE", null, "Connection refused");
            // A job failed when written, and one deleted.
            email(connection, id(5), "D", null, "dora@example.net", "Report");
            job(connection, "D", "FAILED", FAILED_JSON);
            email(connection, id(6), "E", null, "eve@example.net", "Gone soon");
            job(connection, "E", "ENQUEUED", "{}");
            execute(connection, "DELETE FROM jobrunr_jobs WHERE id = '" + jobId("E") + "'");
            // A job with no e-mail at all, and one whose JSON cannot be read.
            job(connection, "F", "ENQUEUED", "{}");
            email(connection, id(7), "G", null, "gil@example.net", "Odd JSON");
            job(connection, "G", "FAILED", "not json");
        }
    }

    private static UUID id(int n) {
        return UUID.fromString("00000000-0000-4000-8000-" + String.format("%012d", n));
    }

    private static String jobId(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    private static void job(Connection connection, String name, String state, String json) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jobrunr_jobs (id, version, jobAsJson,"
                + " jobSignature, state, createdAt, updatedAt, scheduledAt) VALUES (?, 1, ?, 'x', ?, ?, ?, NULL)")) {
            insert.setString(1, jobId(name));
            insert.setString(2, json);
            insert.setString(3, state);
            insert.setTimestamp(4, Timestamp.from(BASE));
            insert.setTimestamp(5, Timestamp.from(BASE));
            insert.executeUpdate();
        }
    }

    private static void email(Connection connection, UUID id, String job, String bulkJob, String to, String subject)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jd_email (id, kind, job_id, batch_id,"
                + " from_addr, to_addr, subject, body, created_at, bulk_job_id) VALUES (?, 'ONE_OFF', ?, ?,"
                + " 'ops@jobdeck.test', ?, ?, 'Body', ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, jobId(job));
            insert.setObject(3, id(100));
            insert.setString(4, to);
            insert.setString(5, subject);
            insert.setTimestamp(6, Timestamp.from(BASE));
            insert.setString(7, bulkJob == null ? null : jobId(bulkJob));
            insert.executeUpdate();
        }
    }

    private static void attempt(Connection connection, String job, int attempt, UUID email, String host, int second,
                                String outcome, Integer code, String reply) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jd_delivery_attempt (job_id, attempt,"
                + " email_id, host, started_at, finished_at, outcome, smtp_code, smtp_reply, message_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'm')")) {
            insert.setString(1, jobId(job));
            insert.setInt(2, attempt);
            insert.setObject(3, email);
            insert.setString(4, host);
            insert.setTimestamp(5, Timestamp.from(BASE.plusSeconds(second)));
            insert.setTimestamp(6, Timestamp.from(BASE.plusSeconds(second)));
            insert.setString(7, outcome);
            insert.setObject(8, code, java.sql.Types.INTEGER);
            insert.setString(9, reply);
            insert.executeUpdate();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The rows of {@code sql}, text as it is and numbers as longs, in Java's order (the same for both databases). */
    private static List<List<Object>> rows(ConsoleServices store, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = store.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    Object value = result.getObject(c);
                    row.add(value instanceof Number number ? (Object) number.longValue()
                            : value == null ? null : value.toString());
                }
                rows.add(row);
            }
        }
        rows.sort(Comparator.comparing(Object::toString));
        return rows;
    }
}
