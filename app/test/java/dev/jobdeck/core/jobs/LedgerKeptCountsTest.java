package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.jobrunr.JobPageSql;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.LedgerMarks;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.StoreGenerator;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole store's ledger from kept counts (decision 32) always equals the ledger recomputed from every e-mail, as
 * e-mails are queued, delivered, bounced, retried, deleted, requeued, settled and removed, and as a late journal adds
 * an attempt; the owner keeps the counts and clears the marks, any other reader leaves both as they are.
 */
class LedgerKeptCountsTest {

    @TempDir
    Path temp;

    private ConsoleServices services;

    /** A store alone: no schedule keeps the counts between a test's steps. */
    @BeforeEach
    void open() throws Exception {
        services = ConsoleServices.open(new DataDirectory(temp.resolve("data")), ConsoleServices.Options.storeOnly());
    }

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void keptCountsEqualTheRecomputedLedgerThroughAnEmailsWholeLife() throws Exception {
        // A console, whose schedule also keeps the counts meanwhile.
        services.close();
        services = Consoles.open(temp.resolve("data"));
        new StoreGenerator(11, Instant.now(), StoreGenerator.Mix.realistic()).fill(services, 300, written -> { });
        assertKeptEqualsRecomputed("a generated store");
        assertThat(marks()).as("the owner kept what it read").isZero();
        assertThat(count("SELECT COUNT(*) FROM " + LedgerMarks.OPEN_TABLE)).as("batches with open e-mails")
                .isPositive();

        services.sink().orElseThrow().rejectRecipient("bounce@example.org", 550, "5.1.1 mailbox unavailable");
        String list = "bounce@example.org\n" + IntStream.range(0, 40).mapToObj(i -> "user" + i + "@example.org")
                .collect(Collectors.joining("\n"));
        QueueResult bulk = services.parts().queue().queue(Consoles.email(list));
        QueueResult solo = services.parts().queue().queue(Consoles.email("solo@example.org"));
        QueueResult deleted = services.parts().queue().queue(Consoles.email("gone@example.org"));
        assertKeptEqualsRecomputed("queued, nothing delivered");

        assertThat(services.parts().commands().delete(List.of(deleted.jobIds().get(0))).changed()).isEqualTo(1);
        assertKeptEqualsRecomputed("a job deleted");

        services.startHost();
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> bounceJob(bulk) != null
                && Consoles.stateOf(services, bounceJob(bulk)) == StateName.FAILED
                && Consoles.stateOf(services, solo.jobIds().get(0)) == StateName.SUCCEEDED
                && bulk.jobIds().stream().distinct().allMatch(job -> job.equals(bounceJob(bulk))
                        || Consoles.stateOf(services, job) == StateName.SUCCEEDED));
        UUID bounce = bounceJob(bulk);
        assertKeptEqualsRecomputed("delivered, one bounce failed");
        assertThat(services.parts().reports().ledger(Optional.empty()).failed()).isPositive();

        // A second accepted attempt, as a dead host's journal folded late leaves it (decision 23).
        OutboxEmail twice = services.parts().outbox().findByJobId(solo.jobIds().get(0)).orElseThrow();
        int attempt = services.parts().ledger().begin(twice.jobId(), twice.id(), "worker-gone", MessageIds.forJob(twice.jobId()),
                Instant.now());
        services.parts().ledger().finish(twice.jobId(), attempt, DeliveryAttempt.Outcome.SENT, 250, "250 OK", Instant.now());
        assertKeptEqualsRecomputed("a late journal's second acceptance");

        services.sink().orElseThrow().clearRejections();
        assertThat(services.parts().commands().requeue(List.of(bounce)).changed()).isEqualTo(1);
        Consoles.awaitState(services, bounce, StateName.SUCCEEDED);
        assertKeptEqualsRecomputed("the bounce requeued and delivered");

        assertThat(services.parts().retentionPass().run().settled()).isPositive();
        assertKeptEqualsRecomputed("settled");
        RetentionPass daysLater = new RetentionPass(services.parts().database().dataSource(), services.parts().database().dialect(),
                services.parts().engine().storage(),
                () -> java.time.Duration.ofMinutes(1), Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(5)));
        assertThat(daysLater.run().purged()).isPositive();
        SurvivalReport.Ledger last = assertKeptEqualsRecomputed("removed by retention");
        assertThat(last.purged()).isPositive();
        assertThat(last.reExecuted()).isEqualTo(1);
    }

    @Test
    void anotherProcessReadsTheSameLedgerWithoutWritingTheCounts() throws Exception {
        new StoreGenerator(12, Instant.now(), StoreGenerator.Mix.realistic()).fill(services, 120, written -> { });
        services.parts().reports().ledger(Optional.empty());
        services.parts().queue().queue(Consoles.email("ann@example.org\nbob@example.org"));
        long marks = marks();
        String kept = keptCounts();
        SurvivalReports reader = new SurvivalReports(services.parts().database().dataSource(), services.parts().engine().storage(),
                services.parts().incidents(), Clock.systemUTC(), false);

        SurvivalReport.Ledger read = reader.ledger(Optional.empty());

        assertThat(read).isEqualTo(services.parts().reports().recomputedLedger());
        assertThat(marks()).as("a reader leaves the marks").isEqualTo(marks).isPositive();
        assertThat(keptCounts()).as("and the kept counts").isEqualTo(kept);
    }

    @Test
    void aStoreFromBeforeTheKeptCountsIsReadWholeOnceThenKept() throws Exception {
        new StoreGenerator(13, Instant.now(), StoreGenerator.Mix.realistic()).fill(services, 200, written -> { });
        // E-mails of two batches the server accepted twice (a journal folded late): reading every batch counts each.
        for (String to : List.of("twice@example.org", "again@example.org")) {
            UUID job = services.parts().queue().queue(Consoles.email(to)).jobIds().get(0);
            OutboxEmail email = services.parts().outbox().findByJobId(job).orElseThrow();
            for (int run = 0; run < 2; run++) {
                int attempt = services.parts().ledger().begin(job, email.id(), "host-" + run, MessageIds.forJob(job),
                        Instant.now());
                services.parts().ledger().finish(job, attempt, DeliveryAttempt.Outcome.SENT, 250, "250 OK", Instant.now());
            }
        }
        services.parts().reports().ledger(Optional.empty());
        SurvivalReport.Ledger recomputed = services.parts().reports().recomputedLedger();
        assertThat(recomputed.reExecuted()).isEqualTo(2);
        // As an older version left it: no kept counts, no marks table, no triggers, no migration history.
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : List.of("email", "delivery_attempt", "unqueued_batch")) {
                statement.execute("DROP TRIGGER jd_ledger_mark_trigger_" + table);
            }
            statement.execute("DROP TABLE " + LedgerMarks.MARK_TABLE);
            statement.execute("DELETE FROM " + LedgerMarks.OPEN_TABLE);
            statement.execute("DROP TABLE jd_schema_history");
        }
        services.close();
        services = ConsoleServices.open(new DataDirectory(temp.resolve("data")), ConsoleServices.Options.storeOnly());

        assertThat(marks()).as("one mark that asks for everything").isEqualTo(1);
        assertThat(services.parts().reports().ledger(Optional.empty())).isEqualTo(recomputed);
        assertThat(marks()).isZero();
        assertThat(count("SELECT COUNT(*) FROM " + LedgerMarks.OPEN_TABLE)).isPositive();
        assertThat(services.parts().reports().ledger(Optional.empty())).isEqualTo(recomputed);
        // The report's list of them reads the two batches the kept counts name, not every retried attempt.
        assertThat(services.parts().reports().report(Optional.empty(), 5).reExecutions()).hasSize(2)
                .containsExactlyElementsOf(services.parts().reports().recomputedReExecutions());
    }

    @Test
    void theMarksNameTheBatchesWrittenSinceThroughTheirEmailsAndJobs() throws Exception {
        new StoreGenerator(14, Instant.now(), StoreGenerator.Mix.realistic()).fill(services, 200, written -> { });
        services.parts().reports().ledger(Optional.empty());
        assertThat(marked()).isEmpty();
        QueueResult queued = services.parts().queue().queue(Consoles.email("ann@example.org"));
        QueueResult bulk = services.parts().queue().queue(Consoles.email("a@example.org\nb@example.org\nc@example.org"));
        services.parts().reports().ledger(Optional.empty());
        assertThat(marked()).isEmpty();

        services.parts().commands().delete(queued.jobIds());
        assertThat(marked()).as("a job's state: its e-mail's batch").containsExactly(queued.batchId());
        services.parts().reports().ledger(Optional.empty());
        services.parts().commands().delete(List.of(bulk.jobIds().get(0)));
        assertThat(marked()).as("a bulk job's state: its recipients' batch").containsExactly(bulk.batchId());
        services.parts().reports().ledger(Optional.empty());
        OutboxEmail email = services.parts().outbox().findByJobId(queued.jobIds().get(0)).orElseThrow();
        services.parts().ledger().begin(queued.jobIds().get(0), email.id(), "host", MessageIds.forJob(email.jobId()),
                Instant.now());
        assertThat(marked()).as("an attempt: its e-mail's batch").containsExactly(queued.batchId());

        assertThat(services.parts().reports().ledger(Optional.empty())).isEqualTo(services.parts().reports().recomputedLedger());
        assertThat(services.parts().reports().ledger(Optional.of(queued.batchId())).deleted()).isEqualTo(1);
    }

    @Test
    void aMarkedBatchIsReadAgainFromIndexEntriesAlone() throws Exception {
        new StoreGenerator(15, Instant.now(), StoreGenerator.Mix.realistic()).fill(services, 300, written -> { });
        UUID batch = services.parts().queue().queue(Consoles.email("a@example.org\nb@example.org")).batchId();

        for (String statement : List.of(KeptCounts.BATCH_OPEN, KeptCounts.BATCH_TWICE)) {
            String plan = QueryPlans.explainAnalyze(services.parts().database().dataSource(),
                    new JobPageSql.Sql(statement, List.of(batch)));
            assertThat(plan).as(plan).doesNotContainIgnoringCase("tableScan")
                    .contains("JD_EMAIL_BATCH_OPEN_IDX").doesNotContain("JD_EMAIL_OPEN_IDX");
            assertThat(QueryPlans.scanCounts(plan)).as(plan).allMatch(rows -> rows <= 10);
        }
        String twice = QueryPlans.explainAnalyze(services.parts().database().dataSource(),
                new JobPageSql.Sql(KeptCounts.BATCH_TWICE, List.of(batch)));
        assertThat(twice).contains("JD_ATTEMPT_EMAIL_TWICE_IDX");
    }

    private java.util.Set<UUID> marked() throws SQLException {
        java.util.Set<UUID> batches = new java.util.HashSet<>();
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(KeptCounts.MARKED_BATCHES);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                batches.add(rows.getObject(1, UUID.class));
            }
        }
        return batches;
    }

    private SurvivalReport.Ledger assertKeptEqualsRecomputed(String when) throws SQLException {
        SurvivalReport.Ledger recomputed = services.parts().reports().recomputedLedger();
        SurvivalReport.Ledger kept = services.parts().reports().ledger(Optional.empty());
        assertThat(kept).as(when).isEqualTo(recomputed);
        assertThat(services.parts().reports().ledger(Optional.empty())).as(when + ", read again from the counts kept")
                .isEqualTo(recomputed);
        return kept;
    }

    /** The job of the bulk list's bounced recipient: its own, once its first failure gave it one (decision 10). */
    private UUID bounceJob(QueueResult bulk) {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT job_id FROM jd_email WHERE batch_id = ?"
                     + " AND to_addr = 'bounce@example.org'")) {
            query.setObject(1, bulk.batchId());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getString(1) != null ? UUID.fromString(rows.getString(1).trim()) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long marks() throws SQLException {
        return count("SELECT COUNT(*) FROM " + LedgerMarks.MARK_TABLE);
    }

    private String keptCounts() throws SQLException {
        StringBuilder rows = new StringBuilder();
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM " + LedgerMarks.OPEN_TABLE + " ORDER BY batch_id")) {
            while (result.next()) {
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    rows.append(result.getString(i)).append(' ');
                }
                rows.append('\n');
            }
        }
        return rows.toString();
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
