package dev.jobdeck.testsupport;

import dev.jobdeck.core.jobs.jobrunr.JobStates;
import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.JobDetail;
import dev.jobdeck.core.jobs.JobPage;
import dev.jobdeck.core.jobs.JobRecipient;
import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.testsupport.StoreGenerator.Kind;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated store, read through JobDeck's own read paths: the mix asked for, adding up, and alike for a seed. */
class StoreGeneratorTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path temp;

    private final List<ConsoleServices> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(ConsoleServices::close);
    }

    @Test
    void aRealisticStoreHasTheMixAskedForAndItsCountsAddUp() throws Exception {
        ConsoleServices services = open("store");
        StoreGenerator.Summary summary = new StoreGenerator(7, Instant.now(), StoreGenerator.Mix.realistic())
                .fill(services, 500, written -> { });

        assertThat(summary.jobs()).isEqualTo(500);
        assertThat(summary.jobsOfKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(500);
        // 3 % bounced, 1 % out of retries, 6 % deferred (half of them bulk recipients), 2 % enqueued, 1.5 % planned,
        // 0.5 % bulk jobs of 20: rounded per kind, the rest Succeeded singles.
        assertThat(summary.jobsOf(Kind.BOUNCED)).isEqualTo(15);
        assertThat(summary.jobsOf(Kind.EXHAUSTED)).isEqualTo(5);
        assertThat(summary.jobsOf(Kind.DEFERRED) + summary.jobsOf(Kind.DEFERRED_BULK_RECIPIENT)).isEqualTo(30);
        assertThat(summary.jobsOf(Kind.DEFERRED_BULK_RECIPIENT)).isEqualTo(15);
        assertThat(summary.jobsOf(Kind.ENQUEUED)).isEqualTo(10);
        assertThat(summary.jobsOf(Kind.SCHEDULED)).isEqualTo(8);
        assertThat(summary.jobsOf(Kind.BULK_SUCCEEDED)).isEqualTo(3);
        assertThat(summary.jobsOf(Kind.SUCCEEDED)).isEqualTo(500 - 15 - 5 - 30 - 10 - 8 - 3);

        var counts = services.parts().queries().counts();
        assertThat(counts.total()).isEqualTo(500);
        assertThat(counts.of(JobState.FAILED)).isEqualTo(20);
        assertThat(counts.of(JobState.SCHEDULED)).isEqualTo(30 + 8);
        assertThat(counts.of(JobState.ENQUEUED)).isEqualTo(10);
        assertThat(counts.of(JobState.SUCCEEDED)).isEqualTo(500 - 20 - 38 - 10);
        for (StateName state : StateName.values()) {
            assertThat(counts.of(JobStates.of(state))).as(state.name()).isEqualTo(summary.jobsIn(state));
        }
        assertThat(services.parts().queries().recurring()).hasSize(3);

        // E-mails, not jobs: the bulk jobs' 3 x 20 recipients, 15 of them deferred into jobs of their own.
        SurvivalReport.Ledger ledger = services.parts().reports().ledger(Optional.empty());
        assertThat(ledger.accepted()).isEqualTo(summary.emails()).isEqualTo(500 - 3 - 15 + 3 * 20);
        assertThat(ledger.delivered()).isEqualTo(summary.delivered()).isEqualTo(429 + 3 * 20 - 15);
        assertThat(ledger.failed()).isEqualTo(summary.failed()).isEqualTo(20);
        assertThat(ledger.pending()).isEqualTo(summary.pending()).isEqualTo(30 + 10 + 8);
        assertThat(ledger.lost()).isZero();
        assertThat(ledger.deleted()).isZero();
        assertThat(ledger.delivered() + ledger.failed() + ledger.pending()).isEqualTo(ledger.accepted());
        assertThat(count(services, "SELECT COUNT(*) FROM jd_delivery_attempt")).isEqualTo(summary.attempts());

        JobPage first = services.parts().queries().page(Optional.empty(), 50);
        assertThat(first.total()).isEqualTo(500);
        assertThat(first.rows()).hasSize(50).allSatisfy(row -> assertThat(row.recipient()).contains("@"));
    }

    @Test
    void theStoreIsWrittenSettledAsTheRetentionPassWouldSettleIt() throws Exception {
        ConsoleServices services = open("settled");
        new StoreGenerator(11, Instant.now(), StoreGenerator.Mix.realistic()).fill(services, 400, written -> { });
        SurvivalReport.Ledger settled = services.parts().reports().ledger(Optional.empty());
        List<String> totals = totals(services);
        assertThat(count(services, "SELECT COUNT(*) FROM jd_email WHERE settled_at IS NOT NULL"))
                .isEqualTo(settled.delivered()).isPositive();

        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE jd_email SET settled_at = NULL");
            statement.execute("DELETE FROM jd_ledger_total");
        }
        assertThat(services.parts().reports().ledger(Optional.empty())).as("nothing settled").isEqualTo(settled);
        services.parts().retentionPass().run();

        assertThat(services.parts().reports().ledger(Optional.empty())).as("settled by the pass").isEqualTo(settled);
        assertThat(totals(services)).as("jd_ledger_total as the pass writes it").isEqualTo(totals);
    }

    private static List<String> totals(ConsoleServices services) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT batch_id, accepted, delivered, succeeded, deleted, purged,"
                     + " re_executed FROM jd_ledger_total ORDER BY batch_id")) {
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= 7; column++) {
                    row.add(result.getString(column));
                }
                rows.add(String.join(",", row));
            }
        }
        return rows;
    }

    @Test
    void everyKindOfJobOpensInTheDetailPaneWithWhatItWentThrough() throws Exception {
        ConsoleServices services = open("store");
        new StoreGenerator(11, Instant.now(), StoreGenerator.Mix.realistic()).fill(services, 500, written -> { });

        JobDetail bounced = detail(services, StateName.FAILED, "PERMANENT_FAILURE");
        assertThat(bounced.lastFailure()).hasValueSatisfying(failure -> {
            assertThat(failure.willNotRetry()).isTrue();
            assertThat(failure.message()).startsWith("Rejected for good: 55");
        });
        assertThat(bounced.attempts()).singleElement().satisfies(attempt -> assertThat(attempt.smtpCode()).isBetween(550, 553));
        assertThat(bounced.history()).extracting(JobDetail.StateChange::state).containsExactly("Enqueued", "Processing", "Failed");

        JobDetail exhausted = detail(services, StateName.FAILED, "TRANSIENT_FAILURE");
        assertThat(exhausted.attempts()).hasSize(11).allSatisfy(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(DeliveryAttempt.Outcome.TRANSIENT_FAILURE);
            assertThat(attempt.smtpReply()).startsWith("4");
        });
        assertThat(exhausted.lastFailure()).hasValueSatisfying(failure -> assertThat(failure.willNotRetry()).isFalse());

        JobDetail deferred = detail(services, StateName.SCHEDULED, "TRANSIENT_FAILURE");
        assertThat(deferred.nextAttempt()).hasValueSatisfying(next -> assertThat(next).isAfter(Instant.now().minusSeconds(60)));
        assertThat(deferred.history()).last().satisfies(change -> assertThat(change.note()).contains("Retry "));

        JobDetail bulk = services.parts().queries().detail(jobWhere(services, "j.state = 'SUCCEEDED' AND EXISTS (SELECT 1 FROM"
                + " jd_email m WHERE m.bulk_job_id = j.id)")).orElseThrow();
        assertThat(bulk.bulk()).isTrue();
        assertThat(bulk.recipients()).hasSize(20);
        // Five of each bulk job's recipients were deferred into a job of their own, Scheduled for their next retry.
        assertThat(bulk.recipients()).filteredOn(recipient -> recipient.ownJobId().isPresent()).hasSize(5)
                .allSatisfy(recipient -> assertThat(recipient.status()).isEqualTo(JobRecipient.Status.DEFERRED));
        assertThat(bulk.recipients()).filteredOn(recipient -> recipient.ownJobId().isEmpty())
                .allSatisfy(recipient -> assertThat(recipient.status()).isEqualTo(JobRecipient.Status.SENT));

        JobDetail waiting = services.parts().queries().detail(jobWhere(services, "j.state = 'ENQUEUED'")).orElseThrow();
        assertThat(waiting.attempts()).isEmpty();
        assertThat(waiting.email()).hasValueSatisfying(email -> assertThat(email.body()).contains("Dear Person"));
    }

    @Test
    void theSameSeedAndTimeWriteTheSameJobsAndAnotherSeedOthers() throws Exception {
        Instant now = NOW.truncatedTo(ChronoUnit.MILLIS);
        ConsoleServices one = open("one");
        ConsoleServices two = open("two");
        ConsoleServices three = open("three");
        new StoreGenerator(3, now, StoreGenerator.Mix.realistic()).fill(one, 300, written -> { });
        new StoreGenerator(3, now, StoreGenerator.Mix.realistic()).fill(two, 300, written -> { });
        new StoreGenerator(4, now, StoreGenerator.Mix.realistic()).fill(three, 300, written -> { });

        String jobs = "SELECT id || state || jobAsJson FROM jobrunr_jobs ORDER BY id";
        String emails = "SELECT id || to_addr || subject || body || COALESCE(bulk_job_id, '') FROM jd_email ORDER BY id";
        assertThat(rows(two, jobs)).hasSize(300).isEqualTo(rows(one, jobs));
        assertThat(rows(two, emails)).isEqualTo(rows(one, emails));
        assertThat(rows(three, jobs)).doesNotContainAnyElementsOf(rows(one, jobs));
    }

    @Test
    void aBacklogIsOnlyEnqueuedSingleJobs() throws Exception {
        ConsoleServices services = open("store");
        StoreGenerator.Summary summary = new StoreGenerator(5, Instant.now(), StoreGenerator.Mix.backlog())
                .fill(services, 300, written -> { });

        assertThat(services.parts().queries().counts().of(JobState.ENQUEUED)).isEqualTo(300).isEqualTo(summary.jobs());
        assertThat(services.parts().reports().ledger(Optional.empty()).pending()).isEqualTo(300);
        JobPage page = services.parts().queries().page(Optional.of(JobState.ENQUEUED), 300);
        assertThat(page.rows()).extracting(JobRow::attempts).containsOnly(0);
    }

    private ConsoleServices open(String name) throws Exception {
        ConsoleServices services = Consoles.open(temp.resolve(name));
        opened.add(services);
        return services;
    }

    /** A job in {@code state} whose single e-mail's last attempt had {@code outcome}. */
    private static JobDetail detail(ConsoleServices services, StateName state, String outcome) throws SQLException {
        UUID id = jobWhere(services, "j.state = '" + state + "' AND EXISTS (SELECT 1 FROM jd_delivery_attempt a"
                + " WHERE a.job_id = j.id AND a.outcome = '" + outcome + "') AND NOT EXISTS (SELECT 1 FROM jd_email m"
                + " WHERE m.bulk_job_id = j.id)");
        return services.parts().queries().detail(id).orElseThrow();
    }

    private static UUID jobWhere(ConsoleServices services, String condition) throws SQLException {
        List<String> ids = rows(services, "SELECT j.id FROM jobrunr_jobs j WHERE " + condition + " ORDER BY j.id LIMIT 1");
        assertThat(ids).as("a job where " + condition).isNotEmpty();
        return UUID.fromString(ids.get(0).trim());
    }

    private static long count(ConsoleServices services, String sql) throws SQLException {
        return Long.parseLong(rows(services, sql).get(0));
    }

    private static List<String> rows(ConsoleServices services, String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }
}
