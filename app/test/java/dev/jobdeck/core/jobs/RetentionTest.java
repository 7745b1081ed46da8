package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.testsupport.Consoles;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.JobNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Retention (decision 26) on a real store: what it removes, and that the survival report reads the same after. */
class RetentionTest {

    @TempDir
    Path temp;

    private ConsoleServices services;

    @BeforeEach
    void open() throws Exception {
        services = Consoles.open(temp.resolve("data"));
    }

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void theSurvivalReportReadsTheSameAfterRetentionRemovedTheDeliveredEmails() throws Exception {
        services.sink().orElseThrow().rejectRecipient("bounce@example.org", 550, "5.1.1 mailbox unavailable");
        String list = "bounce@example.org\n" + IntStream.range(0, 120).mapToObj(i -> "user" + i + "@example.org")
                .collect(Collectors.joining("\n"));
        QueueResult bulk = services.parts().queue().queue(withAttachment(list));
        QueueResult solo = services.parts().queue().queue(withAttachment("solo@example.org"));
        services.startHost();
        OutboxEmail bounce = emailTo(bulk, "bounce@example.org");
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> services.parts().reports().ledger(Optional.empty()).delivered() == 121
                && Consoles.stateOf(services, bounce.jobId()) == StateName.FAILED
                && bulk.jobIds().stream().distinct().allMatch(job -> Consoles.stateOf(services, job) == StateName.SUCCEEDED));
        OutboxEmail twice = emailTo(bulk, "user7@example.org");
        // A second accepted attempt, as a dead host's journal folded late leaves it (decision 23).
        int attempt = services.parts().ledger().begin(twice.jobId(), twice.id(), "worker-gone", MessageIds.forJob(twice.jobId()),
                Instant.now());
        services.parts().ledger().finish(twice.jobId(), attempt, DeliveryAttempt.Outcome.SENT, 250, "250 OK", Instant.now());
        SurvivalReport.Ledger before = services.parts().reports().ledger(Optional.empty());
        SurvivalReport.Ledger beforeBatch = services.parts().reports().ledger(Optional.of(bulk.batchId()));
        assertThat(before.reExecuted()).isEqualTo(1);
        assertThat(before.failed()).isEqualTo(1);

        assertThat(services.parts().retentionPass().run().settled()).as("all delivered e-mails settle, not the bounce").isEqualTo(121);
        assertThat(services.parts().reports().ledger(Optional.empty())).isEqualTo(before);
        purgeAsIfDaysLater();

        assertThat(services.parts().reports().ledger(Optional.empty())).usingRecursiveComparison().ignoringFields("purged")
                .isEqualTo(before);
        assertThat(services.parts().reports().ledger(Optional.empty()).purged()).isEqualTo(121);
        SurvivalReport.Ledger afterBatch = services.parts().reports().ledger(Optional.of(bulk.batchId()));
        assertThat(afterBatch).usingRecursiveComparison().ignoringFields("purged").isEqualTo(beforeBatch);
        assertThat(afterBatch.purged()).isEqualTo(120);
        assertThat(count("SELECT COUNT(*) FROM jd_email")).as("only the bounce is kept").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM jd_delivery_attempt")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM jd_attachment")).as("the bounce's batch keeps its attachment")
                .isEqualTo(1);
        UUID soloJob = solo.jobIds().get(0);
        assertThatThrownBy(() -> services.parts().engine().storage().getJobById(soloJob)).isInstanceOf(JobNotFoundException.class);
        UUID bounceBulk = bulkJobOf(bulk, bounce);
        assertThat(bulk.jobIds().stream().distinct().filter(job -> exists(job)).toList())
                .as("the bulk job of the bounce stays with it; the others went").containsExactly(bounceBulk);
        assertThat(Consoles.stateOf(services, bounce.jobId())).isEqualTo(StateName.FAILED);
    }

    @Test
    void anAttemptFoldedAfterItsEmailSettledStillCountsAsAPossibleDuplicate() throws Exception {
        QueueResult result = services.parts().queue().queue(Consoles.email("ann@example.org"));
        services.startHost();
        UUID job = result.jobIds().get(0);
        Consoles.awaitState(services, job, StateName.SUCCEEDED);
        assertThat(services.parts().retentionPass().run().settled()).isEqualTo(1);
        OutboxEmail email = services.parts().outbox().findByJobId(job).orElseThrow();

        int attempt = services.parts().ledger().begin(job, email.id(), "worker-gone", MessageIds.forJob(job), Instant.now());
        services.parts().ledger().finish(job, attempt, DeliveryAttempt.Outcome.SENT, 250, "250 OK", Instant.now());

        SurvivalReport.Ledger ledger = services.parts().reports().ledger(Optional.of(result.batchId()));
        assertThat(ledger.accepted()).isEqualTo(1);
        assertThat(ledger.delivered()).isEqualTo(1);
        assertThat(ledger.reExecuted()).isEqualTo(1);
        assertThat(services.parts().reports().report(Optional.empty(), 10).reExecutions()).singleElement()
                .satisfies(re -> assertThat(re.sent()).isEqualTo(2));
    }

    @Test
    void emailsYoungerThanThePeriodAndFailedOnesAreKept() throws Exception {
        services.sink().orElseThrow().rejectRecipient("bounce@example.org", 550, "5.1.1 mailbox unavailable");
        QueueResult sent = services.parts().queue().queue(Consoles.email("ann@example.org"));
        QueueResult bounced = services.parts().queue().queue(Consoles.email("bounce@example.org"));
        services.startHost();
        Consoles.awaitState(services, sent.jobIds().get(0), StateName.SUCCEEDED);
        Consoles.awaitState(services, bounced.jobIds().get(0), StateName.FAILED);

        RetentionPass.Result result = services.parts().retentionPass().run();

        assertThat(result.settled()).isEqualTo(1);
        assertThat(result.purged()).as("36 hours have not passed").isZero();
        purgeAsIfDaysLater();
        assertThat(count("SELECT COUNT(*) FROM jd_email")).as("the bounce stays for an operator to retry").isEqualTo(1);
        assertThat(services.parts().reports().ledger(Optional.empty()).failed()).isEqualTo(1);
    }

    @Test
    void aJobDeletedLongAgoGoesWithItsEmailAndTheReportStillCountsItAsDeleted() throws Exception {
        QueueResult result = services.parts().queue().queue(Consoles.email("ann@example.org"));
        UUID job = result.jobIds().get(0);
        assertThat(services.parts().commands().delete(List.of(job)).changed()).isEqualTo(1);
        SurvivalReport.Ledger before = services.parts().reports().ledger(Optional.of(result.batchId()));
        assertThat(before.deleted()).isEqualTo(1);

        services.parts().retentionPass().run();
        assertThat(exists(job)).as("deleted jobs stay 72 h for an operator to requeue").isTrue();
        RetentionPass.Result removed = new RetentionPass(services.parts().database().dataSource(), services.parts().database().dialect(),
                services.parts().engine().storage(),
                () -> services.parts().liveSettings().retention().succeeded(), Clock.offset(Clock.systemUTC(), Duration.ofDays(4))).run();

        assertThat(removed.jobsRemoved()).isEqualTo(1);
        assertThat(exists(job)).isFalse();
        assertThat(count("SELECT COUNT(*) FROM jd_email")).isZero();
        SurvivalReport.Ledger after = services.parts().reports().ledger(Optional.of(result.batchId()));
        assertThat(after).usingRecursiveComparison().ignoringFields("purged").isEqualTo(before);
        assertThat(after.lost()).as("not lost: deleted, as it was").isZero();
        assertThat(services.parts().reports().ledger(Optional.empty()).deleted()).isEqualTo(1);
    }

    @Test
    void aDeletedJobRequeuedBeforeItsTimeIsNotRemoved() throws Exception {
        QueueResult result = services.parts().queue().queue(Consoles.email("ann@example.org"));
        UUID job = result.jobIds().get(0);
        services.parts().commands().delete(List.of(job));
        services.parts().commands().requeue(List.of(job));

        RetentionPass.Result removed = new RetentionPass(services.parts().database().dataSource(), services.parts().database().dialect(),
                services.parts().engine().storage(),
                () -> services.parts().liveSettings().retention().succeeded(), Clock.offset(Clock.systemUTC(), Duration.ofDays(4))).run();

        assertThat(removed.jobsRemoved()).isZero();
        assertThat(Consoles.stateOf(services, job)).isEqualTo(StateName.ENQUEUED);
        assertThat(services.parts().reports().ledger(Optional.of(result.batchId())).pending()).isEqualTo(1);
    }

    /** A pass whose clock is three days ahead, with the default period of 36 hours. */
    private void purgeAsIfDaysLater() throws SQLException {
        new RetentionPass(services.parts().database().dataSource(), services.parts().database().dialect(),
                services.parts().engine().storage(),
                () -> services.parts().liveSettings().retention().succeeded(), Clock.offset(Clock.systemUTC(), Duration.ofDays(3))).run();
    }

    private SendRequest withAttachment(String to) throws Exception {
        Path file = Files.writeString(Files.createTempFile(temp, "notes", ".txt"), "attached");
        return new SendRequest("sender@jobdeck.test", to, "", "", "Hello", "Body text", When.now(), List.of(),
                List.of(AttachmentFile.inspect(file)));
    }

    private boolean exists(UUID job) {
        try {
            services.parts().engine().storage().getJobById(job);
            return true;
        } catch (JobNotFoundException e) {
            return false;
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private UUID bulkJobOf(QueueResult result, OutboxEmail email) throws SQLException {
        return UUID.fromString(text("SELECT bulk_job_id FROM jd_email WHERE id = '" + email.id() + "'").trim());
    }

    private OutboxEmail emailTo(QueueResult result, String to) throws SQLException {
        UUID id = UUID.fromString(text("SELECT id FROM jd_email WHERE batch_id = '" + result.batchId()
                + "' AND to_addr = '" + to + "'"));
        return services.parts().outbox().find(id).orElseThrow();
    }

    private String text(String sql) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getString(1);
        }
    }
}
