package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.testsupport.ConsoleStore;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.ScratchStore;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole path with real parts: outbox, JobRunr server on H2, Angus Mail, GreenMail sink. */
@ConsoleStore
class EmailDeliveryTest {

    private ConsoleServices services;

    @BeforeEach
    void open(ConsoleServices services) {
        this.services = services;
    }

    @Test
    void twoRecipientsBecomeTwoJobsAndArriveWithTheJobsMessageIds() throws Exception {
        QueueResult result = services.parts().queue().queue(Consoles.email("ann@example.org,\nbob@example.org"));
        assertThat(result.jobIds()).hasSize(2);
        assertThat(services.parts().queries().counts().of(JobState.ENQUEUED)).isEqualTo(2);

        services.startHost();
        result.jobIds().forEach(id -> awaitState(services, id, StateName.SUCCEEDED));

        LocalSmtpSink sink = services.sink().orElseThrow();
        assertThat(sink.messages()).extracting(ReceivedMail::messageId)
                .containsExactlyInAnyOrderElementsOf(result.jobIds().stream().map(MessageIds::forJob).toList());
        JobDetail detail = services.parts().queries().detail(result.jobIds().get(0)).orElseThrow();
        assertThat(detail.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(DeliveryAttempt.Outcome.SENT);
            assertThat(attempt.smtpReply()).startsWith("250");
            assertThat(attempt.host()).isEqualTo("console-1");
        });
        assertThat(detail.history()).extracting(JobDetail.StateChange::state)
                .containsExactly("Enqueued", "Processing", "Succeeded");
    }

    @Test
    void aRunningHostStartsJobsQueuedOrRequeuedAtOnceRatherThanAtItsNextPoll() throws Exception {
        // A poll far longer than the waits below: only being woken can start these jobs in time.
        services.parts().liveSettings().updatePolicy(new HostPolicy(Duration.ofMinutes(10), EngineSettings.MINIMUM_MULTIPLICAND,
                Duration.ofSeconds(30), true));
        services.startHost();
        // The first of them may be started by JobRunr's first poll, a second after the start; the others cannot be.
        UUID first = services.parts().queue().queue(Consoles.email("ann@example.org")).jobIds().get(0);
        await().atMost(Duration.ofSeconds(60)).until(() -> Consoles.stateOf(services, first) == StateName.SUCCEEDED);
        UUID second = services.parts().queue().queue(Consoles.email("bob@example.org")).jobIds().get(0);
        await().atMost(Duration.ofSeconds(60)).until(() -> Consoles.stateOf(services, second) == StateName.SUCCEEDED);

        assertThat(services.parts().commands().requeue(List.of(first)).changed()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> services.parts().queries().detail(first).orElseThrow().history()
                .stream().filter(change -> change.state().equals("Succeeded")).count() == 2);
        assertThat(services.sink().orElseThrow().messages()).as("the re-run saw it was sent already").hasSize(2);
    }

    @Test
    void permanentRejectionFailsWithoutRetryAndRetrySucceedsOnceTheCauseIsGone() throws Exception {
        LocalSmtpSink sink = services.sink().orElseThrow();
        sink.rejectRecipient("nobody@example.org", 550, "5.1.1 mailbox unavailable");
        UUID jobId = services.parts().queue().queue(Consoles.email("nobody@example.org")).jobIds().get(0);
        services.startHost();
        awaitState(services, jobId, StateName.FAILED);

        JobDetail failed = services.parts().queries().detail(jobId).orElseThrow();
        assertThat(failed.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(DeliveryAttempt.Outcome.PERMANENT_FAILURE);
            assertThat(attempt.smtpCode()).isEqualTo(550);
            assertThat(attempt.smtpReply()).contains("mailbox unavailable");
        });
        assertThat(failed.lastFailure()).hasValueSatisfying(f -> assertThat(f.willNotRetry()).isTrue());
        assertThat(services.parts().queries().page(Optional.of(JobState.FAILED), 50).rows())
                .singleElement().satisfies(row -> assertThat(row.lastReply()).contains("550"));

        sink.clearRejections();
        assertThat(services.parts().commands().requeue(List.of(jobId)).changed()).isEqualTo(1);
        awaitState(services, jobId, StateName.SUCCEEDED);
        assertThat(services.parts().queries().detail(jobId).orElseThrow().attempts()).hasSize(2);
        assertThat(sink.messages()).extracting(ReceivedMail::messageId).containsExactly(MessageIds.forJob(jobId));
    }

    @Test
    void transientFailureIsRetriedByJobRunr() throws Exception {
        LocalSmtpSink sink = services.sink().orElseThrow();
        sink.rejectRecipient("later@example.org", 451, "4.3.0 try again later");
        UUID jobId = services.parts().queue().queue(Consoles.email("later@example.org")).jobIds().get(0);
        services.startHost();
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> Consoles.stateOf(services, jobId) == StateName.SCHEDULED
                && !services.parts().ledger().attemptsOf(jobId).isEmpty());
        assertThat(services.parts().ledger().attemptsOf(jobId).get(0).outcome()).isEqualTo(DeliveryAttempt.Outcome.TRANSIENT_FAILURE);
        sink.clearRejections();
        awaitState(services, jobId, StateName.SUCCEEDED);
    }

    @Test
    void jobsQueuedWhileTheHostIsStoppedRunAfterRestartHost() throws Exception {
        services.startHost();
        services.parts().engine().stopServer();
        assertThat(services.parts().engine().isServerRunning()).isFalse();
        List<UUID> jobs = services.parts().queue().queue(Consoles.email("a@example.org, b@example.org, c@example.org")).jobIds();
        services.parts().engine().restartServer();
        assertThat(services.hostName()).isEqualTo("console-2");
        jobs.forEach(id -> awaitState(services, id, StateName.SUCCEEDED));
    }

    @Test
    void deleteMovesSelectedJobsToDeleted() throws Exception {
        List<UUID> jobs = services.parts().queue().queue(Consoles.email("a@example.org, b@example.org")).jobIds();
        assertThat(services.parts().commands().delete(jobs).changed()).isEqualTo(2);
        assertThat(services.parts().queries().counts().of(JobState.DELETED)).isEqualTo(2);
        assertThat(services.parts().commands().delete(jobs).skipped()).hasSize(2);
    }

    @Test
    void closedAndReopenedDataDirectoryKeepsItsJobsAndContinuesThem(ScratchStore store) throws Exception {
        List<UUID> jobs = services.parts().queue().queue(Consoles.email("a@example.org, b@example.org")).jobIds();
        services.close();

        services = store.openConsole();
        assertThat(services.parts().queries().counts().of(JobState.ENQUEUED)).isEqualTo(2);
        services.startHost();
        jobs.forEach(id -> awaitState(services, id, StateName.SUCCEEDED));
        assertThat(services.sink().orElseThrow().messageCount()).isEqualTo(2);
    }

    @Test
    void scheduledAndRecurringSendsAreStoredWithTheirSchedule() throws Exception {
        QueueResult later = services.parts().queue().queue(new SendRequest("s@jobdeck.test", "a@example.org", "", "", "Later", "",
                new When.After(java.time.Duration.ofHours(2))));
        assertThat(Consoles.stateOf(services, later.jobIds().get(0))).isEqualTo(StateName.SCHEDULED);

        QueueResult cron = services.parts().queue().queue(new SendRequest("s@jobdeck.test", "a@example.org, b@example.org", "", "",
                "Daily", "", new When.Cron("0 9 * * *")));
        assertThat(cron.recurringJobIds()).hasSize(2);
        assertThat(services.parts().queries().recurring()).extracting(RecurringEmail::cron).containsOnly("0 9 * * *");

        services.startHost();
        UUID triggered = services.parts().commands().triggerNow(cron.recurringJobIds().get(0));
        awaitState(services, triggered, StateName.SUCCEEDED);
        assertThat(services.parts().queries().detail(triggered).orElseThrow().email()).hasValueSatisfying(
                email -> assertThat(email.subject()).isEqualTo("Daily"));
        services.parts().commands().deleteRecurring(cron.recurringJobIds().get(1));
        assertThat(services.parts().queries().recurring()).hasSize(1);
    }

    @Test
    void aJobWhoseEmailTheLedgerAlreadyRecordsAsSentSkipsTheSend() throws Exception {
        QueueResult result = services.parts().queue().queue(Consoles.email("ann@example.org"));
        UUID jobId = result.jobIds().get(0);
        UUID emailId = services.parts().outbox().findByJobId(jobId).orElseThrow().id();
        // The state a crash leaves between the server's 250 (recorded at once) and JobRunr's "succeeded".
        int attempt = services.parts().ledger().begin(jobId, emailId, "worker-gone", MessageIds.forJob(jobId), java.time.Instant.now());
        services.parts().ledger().finish(jobId, attempt, DeliveryAttempt.Outcome.SENT, 250, "250 OK", java.time.Instant.now());

        services.startHost();
        awaitState(services, jobId, StateName.SUCCEEDED);

        assertThat(services.sink().orElseThrow().messageCount()).isZero();
        assertThat(services.parts().ledger().attemptsOf(jobId)).extracting(DeliveryAttempt::outcome)
                .containsExactly(DeliveryAttempt.Outcome.SENT, DeliveryAttempt.Outcome.SKIPPED_ALREADY_SENT);
        assertThat(services.parts().reports().ledger(Optional.of(result.batchId())).reExecuted())
                .as("a skipped send is not a possible duplicate").isZero();
    }
}
