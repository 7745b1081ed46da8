package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.jobrunr.JobRunrJobs;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.core.store.UnqueuedBatches;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch's note is claimed by one creator at a time: the console's own queueing and its watcher never collide. */
class BatchClaimTest {

    @TempDir
    Path temp;

    @Test
    void queueingInAConsoleWhoseWatcherRunsCreatesEveryJobOnce() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            console.parts().liveSettings().updateDelivery(new DeliverySettings(1, 0, 0));
            ExecutorService senders = Executors.newFixedThreadPool(3);
            List<Future<QueueResult>> results = new ArrayList<>();
            for (int batch = 0; batch < 12; batch++) {
                String to = IntStream.range(0, 40).mapToObj(i -> "user" + i + "@example.org")
                        .collect(Collectors.joining("\n"));
                results.add(senders.submit(() -> console.parts().queue().queue(Consoles.email(to))));
            }
            for (Future<QueueResult> result : results) {
                // Each call returns once its batch's jobs exist, whoever created them.
                for (UUID job : result.get().jobIds()) {
                    assertThat(Consoles.stateOf(console, job)).isNotNull();
                }
            }
            senders.shutdown();

            assertThat(Consoles.total(console)).isEqualTo(12 * 40);
            assertThat(new UnqueuedBatches(console.parts().database().dataSource(), new JobRunrJobs()).waiting()).isEmpty();
            assertThat(console.parts().reports().ledger(Optional.empty()).lost()).isZero();
        }
    }

    @Test
    void aClaimIsExclusiveAndALostClaimCanBeTakenAgain() throws Exception {
        try (ConsoleServices script = ConsoleServices.open(new DataDirectory(temp),
                ConsoleServices.Options.storeOnly())) {
            UUID batch = UUID.randomUUID();
            script.parts().outbox().insertBatch(new Outbox.NewBatch(batch, null, null), List.of(
                    new OutboxEmail(UUID.randomUUID(),
                            OutboxEmail.Kind.ONE_OFF, UUID.randomUUID(), null, batch,
                            "ops@jobdeck.test", "ann@example.org", "", "", "Hello", "Body", Instant.now())),
                    List.of(), email -> null);
            UnqueuedBatches notes = new UnqueuedBatches(script.parts().database().dataSource(), new JobRunrJobs());

            try (UnqueuedBatches.Claim first = notes.claim(batch).orElseThrow()) {
                assertThat(first.emailsWithoutJob()).hasSize(1);
                assertThat(notes.claim(batch)).as("held by the first claimant").isEmpty();
                assertThat(script.parts().queue().createWaitingJobs()).as("the watcher skips a held note").isZero();
            }
            // The first claimant let go without finishing (as a dead one does): the next one creates the job.
            assertThat(script.parts().queue().createWaitingJobs()).isEqualTo(1);
            assertThat(notes.waiting()).isEmpty();
            assertThat(Consoles.total(script)).isEqualTo(1);
        }
    }
}
