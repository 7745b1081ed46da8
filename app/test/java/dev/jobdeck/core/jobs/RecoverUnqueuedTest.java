package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On start, jobs are created for e-mails committed just before a crash, and only for those. The store is opened as a
 * command with no console opens it, so no console's watcher creates the jobs first.
 */
class RecoverUnqueuedTest {

    @TempDir
    Path temp;

    private ConsoleServices services;

    @BeforeEach
    void open() throws Exception {
        services = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly());
    }

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void rowsCommittedWithoutTheirJobsGetThemOnceAndOnlyOnce() throws Exception {
        services.parts().outbox().insertAll(oneOffRows(UUID.randomUUID(), "user", 3));   // the crash came before the jobs were saved

        assertThat(services.parts().queue().recoverUnqueued()).isEqualTo(3);
        assertThat(Consoles.total(services)).isEqualTo(3);
        assertThat(services.parts().queue().recoverUnqueued()).isZero();
    }

    @Test
    void rowsFlaggedTheOlderWayAreRecoveredToo() throws Exception {
        UUID batch = UUID.randomUUID();
        services.parts().outbox().insertAll(oneOffRows(batch, "old", 2));
        // A store written before jd_unqueued_batch: no batch row, each e-mail's own flag says its job is missing.
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement forget = connection.prepareStatement("DELETE FROM jd_unqueued_batch");
             PreparedStatement flag = connection.prepareStatement("UPDATE jd_email SET job_created = FALSE WHERE batch_id = ?")) {
            forget.executeUpdate();
            flag.setObject(1, batch);
            assertThat(flag.executeUpdate()).isEqualTo(2);
        }

        assertThat(services.parts().queue().recoverUnqueued()).isEqualTo(2);
        assertThat(Consoles.total(services)).isEqualTo(2);
        assertThat(services.parts().queue().recoverUnqueued()).isZero();
    }

    @Test
    void jobsJobRunrRemovedLaterAreNotCreatedAgain() throws Exception {
        // 3 one-job-per-e-mail recipients and 100 in bulk jobs, all queued normally.
        services.parts().queue().queue(Consoles.email("a@example.org, b@example.org, c@example.org"));
        services.parts().queue().queue(Consoles.email(String.join("\n", IntStream.range(0, 100)
                .mapToObj(i -> "bulk" + i + "@example.org").toList())));
        assertThat(Consoles.total(services)).isPositive();

        // What JobRunr does days after success (or after the operator's Delete): the job rows disappear.
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM jobrunr_jobs")) {
            delete.executeUpdate();
        }

        assertThat(services.parts().queue().recoverUnqueued()).isZero();
        assertThat(Consoles.total(services)).isZero();
    }

    @Test
    void aScheduledBatchKeepsItsTimeWhenItsJobsAreCreatedAfterACrash() throws Exception {
        UUID batch = UUID.randomUUID();
        Instant runAt = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        List<OutboxEmail> rows = oneOffRows(batch, "later", 2);
        services.parts().outbox().insertBatch(new Outbox.NewBatch(batch, runAt, null), rows, List.of(), email -> null);

        assertThat(services.parts().queue().recoverUnqueued()).isEqualTo(2);
        for (OutboxEmail row : rows) {
            assertThat(Consoles.stateOf(services, row.jobId())).isEqualTo(org.jobrunr.jobs.states.StateName.SCHEDULED);
            assertThat(services.parts().engine().storage().getJobById(row.jobId())
                    .<org.jobrunr.jobs.states.ScheduledState>getJobState().getScheduledAt()).isEqualTo(runAt);
        }
    }

    /** One-off outbox rows of one batch, as queueing writes them before their jobs are created. */
    private static List<OutboxEmail> oneOffRows(UUID batch, String name, int count) {
        return IntStream.range(0, count).mapToObj(i -> new OutboxEmail(UUID.randomUUID(), OutboxEmail.Kind.ONE_OFF,
                UUID.randomUUID(), null, batch, "ops@jobdeck.test", name + i + "@example.org", "", "", "Hello", "Body",
                Instant.now())).toList();
    }
}
