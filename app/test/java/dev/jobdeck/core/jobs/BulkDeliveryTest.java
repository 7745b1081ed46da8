package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** Bulk jobs (decision 10) with real parts: outbox on H2, JobRunr, pooled Angus Mail connections, the GreenMail sink. */
class BulkDeliveryTest {

    @TempDir
    Path temp;

    private ConsoleServices services;

    @BeforeEach
    void open() throws Exception {
        services = Consoles.open(temp);
    }

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void aLongListIsDeliveredByBulkJobsOverFewConnectionsWithOneMessageIdPerRecipient() throws Exception {
        QueueResult result = services.parts().queue().queue(Consoles.email(recipients("user", 300)));
        Set<UUID> bulkJobs = new LinkedHashSet<>(result.jobIds());
        assertThat(result.count()).isEqualTo(300);
        assertThat(bulkJobs).as("300 recipients over 64 jobs, of 7 down to 2").hasSize(64);

        services.startHost();
        awaitDelivered(result, 300);

        Set<String> expected = emailsOf(result).stream().map(email -> MessageIds.forJob(email.jobId())).collect(Collectors.toSet());
        assertThat(services.sink().orElseThrow().messages()).extracting(ReceivedMail::messageId)
                .hasSize(300).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(services.parts().connections().connectionsOpened())
                .as("connections are reused across e-mails and jobs").isLessThanOrEqualTo(16);
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> services.parts().queries().counts().of(JobState.SUCCEEDED) == 64);
        JobDetail detail = services.parts().queries().detail(bulkJobs.iterator().next()).orElseThrow();
        assertThat(detail.bulk()).isTrue();
        assertThat(detail.recipients()).hasSize(7).allSatisfy(recipient -> {
            assertThat(recipient.status()).isEqualTo(JobRecipient.Status.SENT);
            assertThat(recipient.attempts()).isEqualTo(1);
            assertThat(recipient.lastReply()).startsWith("250");
        });
        assertThat(detail.attempts()).hasSize(7).extracting(DeliveryAttempt::messageId).doesNotHaveDuplicates();
        assertThat(services.parts().queries().page(Optional.empty(), 100).rows()).hasSize(64)
                .as("a bulk job's Tries is its recipients' most, not their sum").allSatisfy(row -> {
                    assertThat(row.attempts()).isEqualTo(1);
                    assertThat(row.recipient()).containsPattern("\\(\\+[1-6]\\)$");
                });
    }

    @Test
    void aRecipientRefusedOrDeferredInABulkGetsAJobOfItsOwnAndTheOthersAreDelivered() throws Exception {
        LocalSmtpSink sink = services.sink().orElseThrow();
        sink.rejectRecipient("bounce@example.org", 550, "5.1.1 mailbox unavailable");
        sink.rejectRecipient("later@example.org", 451, "4.3.0 try again later");
        String list = "bounce@example.org\nlater@example.org\n" + recipients("user", 128);
        QueueResult result = services.parts().queue().queue(Consoles.email(list));
        services.startHost();

        OutboxEmail bounce = emailTo(result, "bounce@example.org");
        OutboxEmail later = emailTo(result, "later@example.org");
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> services.parts().reports().ledger(Optional.of(result.batchId())).delivered() == 128
                && stateOf(bounce.jobId()) == StateName.FAILED && stateOf(later.jobId()) == StateName.SCHEDULED);

        UUID bulkOfBounce = result.jobIds().get(emailsOf(result).indexOf(bounce));
        JobDetail bulk = services.parts().queries().detail(bulkOfBounce).orElseThrow();
        assertThat(bulk.recipients()).filteredOn(r -> r.recipient().equals("bounce@example.org")).singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(JobRecipient.Status.BOUNCED);
                    assertThat(r.lastReply()).contains("mailbox unavailable");
                    assertThat(r.ownJobId()).contains(bounce.jobId());
                });
        JobDetail own = services.parts().queries().detail(bounce.jobId()).orElseThrow();
        assertThat(own.lastFailure()).hasValueSatisfying(f -> assertThat(f.willNotRetry()).isTrue());
        assertThat(own.attempts()).singleElement().satisfies(a -> assertThat(a.smtpCode()).isEqualTo(550));
        assertThat(services.parts().queries().page(JobFilter.ALL.withSearch("BOUNCE@example"), PageRequest.first(50)).rows())
                .as("the search finds the bulk job and the recipient's own job")
                .extracting(JobRow::jobId).containsExactlyInAnyOrder(bulkOfBounce, bounce.jobId());
        assertThat(services.parts().queries().detail(result.jobIds().get(emailsOf(result).indexOf(later))).orElseThrow().recipients())
                .filteredOn(r -> r.recipient().equals("later@example.org")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(JobRecipient.Status.DEFERRED));

        sink.clearRejections();
        assertThat(services.parts().commands().requeue(List.of(bounce.jobId())).changed()).isEqualTo(1);
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> services.parts().reports().ledger(Optional.of(result.batchId())).delivered() == 130);
        assertThat(stateOf(later.jobId())).isEqualTo(StateName.SUCCEEDED);
        // Deferred until the rejection was lifted, then sent once: its retry may come round more than once before the
        // test lifts it (the retry's delay is the host's, not the test's, and a loaded machine is slow to get here).
        List<DeliveryAttempt.Outcome> outcomes = services.parts().ledger().attemptsOf(later.jobId()).stream()
                .map(DeliveryAttempt::outcome).toList();
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(2).endsWith(DeliveryAttempt.Outcome.SENT);
        assertThat(outcomes.subList(0, outcomes.size() - 1)).containsOnly(DeliveryAttempt.Outcome.TRANSIENT_FAILURE);
        assertThat(sink.messages()).extracting(ReceivedMail::messageId).hasSize(130).doesNotHaveDuplicates()
                .contains(MessageIds.forJob(bounce.jobId()), MessageIds.forJob(later.jobId()));
        SurvivalReport.Ledger ledger = services.parts().reports().ledger(Optional.of(result.batchId()));
        assertThat(ledger.lost()).isZero();
        assertThat(ledger.succeeded()).isEqualTo(130);
    }

    @Test
    void aBulkJobRunAgainAfterACrashSkipsRecipientsTheLedgerRecordsAsAccepted() throws Exception {
        QueueResult result = services.parts().queue().queue(Consoles.email(recipients("user", 130)));
        List<OutboxEmail> emails = emailsOf(result);
        // The state a crash leaves after the server's 250 for two recipients, before the bulk job finished.
        for (OutboxEmail email : emails.subList(0, 2)) {
            int attempt = services.parts().ledger().begin(email.jobId(), email.id(), "worker-gone", MessageIds.forJob(email.jobId()),
                    Instant.now());
            services.parts().ledger().finish(email.jobId(), attempt, DeliveryAttempt.Outcome.SENT, 250, "250 OK", Instant.now());
        }
        services.startHost();
        awaitDelivered(result, 130);
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> services.sink().orElseThrow().messageCount() == 128);

        assertThat(services.sink().orElseThrow().messages()).extracting(ReceivedMail::messageId)
                .doesNotContain(MessageIds.forJob(emails.get(0).jobId()), MessageIds.forJob(emails.get(1).jobId()));
        assertThat(services.parts().ledger().attemptsOf(emails.get(0).jobId())).extracting(DeliveryAttempt::outcome)
                .containsExactly(DeliveryAttempt.Outcome.SENT, DeliveryAttempt.Outcome.SKIPPED_ALREADY_SENT);
        assertThat(services.parts().reports().ledger(Optional.of(result.batchId())).reExecuted()).isZero();
    }

    @ChildProcesses
    @Test
    void aBulkJobRunAgainAfterItsHostWasKilledFirstRecordsWhatThatHostJournaled() throws Exception {
        QueueResult result = services.parts().queue().queue(Consoles.email(recipients("user", 130)));
        List<OutboxEmail> emails = emailsOf(result);
        UUID bulk = result.jobIds().get(0);
        // A host in another JVM journaled two acceptances and a third send in doubt, then was killed (kill -9)
        // before its journal was folded into the ledger.
        List<String> arguments = new java.util.ArrayList<>(List.of("--last-in-doubt",
                temp.resolve("journal").toString(), bulk.toString()));
        emails.subList(0, 3).forEach(email -> arguments.add(email.jobId() + "," + email.id()));
        Process host = dev.jobdeck.testsupport.JournalWriter.start(temp.resolve("host.log"), arguments);
        host.destroyForcibly().waitFor();

        services.startHost();
        awaitDelivered(result, 130);

        assertThat(services.sink().orElseThrow().messages()).extracting(ReceivedMail::messageId)
                .as("the two the dead host had sent are not sent again; the one in doubt is")
                .doesNotContain(MessageIds.forJob(emails.get(0).jobId()), MessageIds.forJob(emails.get(1).jobId()))
                .contains(MessageIds.forJob(emails.get(2).jobId()))
                .hasSize(128);
        assertThat(services.parts().ledger().attemptsOf(emails.get(1).jobId())).extracting(DeliveryAttempt::outcome)
                .containsExactly(DeliveryAttempt.Outcome.SENT, DeliveryAttempt.Outcome.SKIPPED_ALREADY_SENT);
        assertThat(services.parts().ledger().attemptsOf(emails.get(2).jobId())).extracting(DeliveryAttempt::outcome)
                .containsExactly(DeliveryAttempt.Outcome.STARTED, DeliveryAttempt.Outcome.SENT);
        assertThat(services.parts().reports().ledger(Optional.of(result.batchId())).reExecuted()).isEqualTo(1);
        try (java.util.stream.Stream<Path> journals = java.nio.file.Files.list(temp.resolve("journal"))) {
            assertThat(journals.count()).as("the dead host's journal is gone; at most the console's own is left")
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aBulkJobsMembersCarryTheirAttemptsTheirAcceptanceAndTheirOwnJob() throws Exception {
        QueueResult result = services.parts().queue().queue(Consoles.email(recipients("user", 130)));
        UUID bulk = result.jobIds().get(0);
        List<OutboxEmail> members = services.parts().outbox().membersOf(bulk).stream().map(Outbox.BulkMember::email).toList();
        assertThat(members).hasSizeGreaterThanOrEqualTo(3);
        OutboxEmail twice = members.get(0);
        OutboxEmail deferred = members.get(1);
        record(twice, DeliveryAttempt.Outcome.TRANSIENT_FAILURE);
        record(twice, DeliveryAttempt.Outcome.SENT);
        record(deferred, DeliveryAttempt.Outcome.TRANSIENT_FAILURE);
        UUID deferredEmail = deferred.id();
        services.parts().engine().scheduler().create(org.jobrunr.scheduling.JobBuilder.aJob().withId(deferred.jobId())
                .scheduleAt(Instant.now().plus(Duration.ofDays(1)))
                .<EmailJob>withJobLambda(handler -> handler.send(deferredEmail)));

        assertThat(services.parts().outbox().membersOf(bulk))
                .extracting(m -> m.email().id(), Outbox.BulkMember::attempts, Outbox.BulkMember::sent, Outbox.BulkMember::hasOwnJob)
                .startsWith(tuple(twice.id(), 2, true, false), tuple(deferred.id(), 1, false, true),
                        tuple(members.get(2).id(), 0, false, false));
    }

    @Test
    void aBulkJobOnAHostBeingDrainedHandsItsRecipientsLeftBackAndEveryOneIsDeliveredOnce() throws Exception {
        // Jobs of 30 down to 10 recipients at a second each: far longer than the drain's deadline.
        services.parts().liveSettings().updateDelivery(new DeliverySettings(30, 0, 0));
        LocalSmtpSink sink = services.sink().orElseThrow();
        sink.faults().latency(Duration.ofSeconds(1));
        QueueResult result = services.parts().queue().queue(Consoles.email(recipients("user", 1280)));
        UUID first = result.jobIds().get(0);
        services.startHost();
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> services.parts().ledger().attemptsOfBulk(first).size() >= 2);

        int cutOff = services.parts().engine().drainServer(Duration.ofSeconds(5), "recycled");

        assertThat(cutOff).as("no job was still running at the drain's deadline").isZero();
        assertThat(stateOf(first)).isEqualTo(StateName.ENQUEUED);
        sink.faults().clearAll();
        services.startHost();
        awaitDelivered(result, 1280);
        Consoles.awaitCount(services, JobState.SUCCEEDED, result.jobIds().stream().distinct().count());
        assertThat(sink.messageCount()).as("each of the 1,280 received once").isEqualTo(1280);
        assertThat(services.parts().engine().storage().getJobById(first).getJobStates()).extracting(org.jobrunr.jobs.states.JobState::getName)
                .as("handed back at once: no retry was scheduled")
                .containsExactly(StateName.ENQUEUED, StateName.PROCESSING, StateName.FAILED, StateName.ENQUEUED,
                        StateName.PROCESSING, StateName.SUCCEEDED);
        assertThat(services.parts().reports().ledger(Optional.of(result.batchId())).reExecuted()).isZero();
    }

    private void record(OutboxEmail email, DeliveryAttempt.Outcome outcome) throws Exception {
        int attempt = services.parts().ledger().begin(email.jobId(), email.id(), "host", MessageIds.forJob(email.jobId()), Instant.now());
        services.parts().ledger().finish(email.jobId(), attempt, outcome, 250, "reply", Instant.now());
    }

    @Test
    void aBulkSizeOfOneKeepsOneJobPerEmail() throws Exception {
        services.parts().liveSettings().updateDelivery(new DeliverySettings(1, 0, 0));
        QueueResult result = services.parts().queue().queue(Consoles.email(recipients("user", 130)));
        assertThat(new LinkedHashSet<>(result.jobIds())).hasSize(130);
        assertThat(services.parts().outbox().findByJobId(result.jobIds().get(0))).isPresent();
    }

    private void awaitDelivered(QueueResult result, long count) {
        await().atMost(Consoles.JOB_TIMEOUT).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> services.parts().reports().ledger(Optional.of(result.batchId())).delivered() == count);
    }

    private StateName stateOf(UUID jobId) {
        try {
            return services.parts().engine().storage().getJobById(jobId).getState();
        } catch (org.jobrunr.storage.JobNotFoundException e) {
            return null;
        }
    }

    /** The outbox rows of a queued list, in the order of {@link QueueResult#jobIds()}. */
    private List<OutboxEmail> emailsOf(QueueResult result) throws Exception {
        List<OutboxEmail> emails = new java.util.ArrayList<>();
        for (UUID bulk : new LinkedHashSet<>(result.jobIds())) {
            services.parts().outbox().membersOf(bulk).forEach(member -> emails.add(member.email()));
        }
        // membersOf orders by address; the queue's order is the list's order within each bulk, which is the same here.
        return emails;
    }

    private OutboxEmail emailTo(QueueResult result, String address) throws Exception {
        return emailsOf(result).stream().filter(email -> email.to().equals(address)).findFirst().orElseThrow();
    }

    private static String recipients(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> String.format("%s%03d@example.org", prefix, i))
                .collect(Collectors.joining("\n"));
    }
}
