package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.settings.RetryPolicy;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.testsupport.ConsoleStore;
import dev.jobdeck.testsupport.Consoles;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's retry policy, applied by a real JobRunr host delivering to the built-in sink: which replies
 * retry, how many times, and what the dashboard then says about the recipient.
 */
@ConsoleStore
class RetryPolicyDeliveryTest {

    private ConsoleServices services;
    private LocalSmtpSink sink;

    @BeforeEach
    void open(ConsoleServices services) {
        this.services = services;
        sink = services.sink().orElseThrow();
    }

    @Test
    void aFullMailboxIsRetriedByItsEnhancedStatusThenBouncesWhenTheRetriesRunOut() throws Exception {
        new RetryPolicy(1, Duration.ofSeconds(1), 1, Duration.ofSeconds(1),
                RetryPolicy.parseRules("4xx retry\n5.2.2 retry\n5xx bounce")).save(services.parts().settings());
        sink.rejectRecipient("full@example.org", 552, "5.2.2 <full@example.org>: mailbox full (injected)");
        UUID jobId = services.parts().queue().queue(Consoles.email("full@example.org")).jobIds().get(0);
        services.startHost();

        awaitState(services, jobId, StateName.FAILED);

        JobDetail detail = services.parts().queries().detail(jobId).orElseThrow();
        assertThat(detail.attempts()).extracting(DeliveryAttempt::outcome, DeliveryAttempt::smtpCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.TRANSIENT_FAILURE, 552),
                        org.assertj.core.groups.Tuple.tuple(Outcome.TRANSIENT_FAILURE, 552));
        assertThat(detail.history()).extracting(JobDetail.StateChange::note)
                .anySatisfy(note -> assertThat(note).contains("Retry 1 of 1, after 1 s"));
        assertThat(detail.recipientStatus()).isEqualTo(RecipientStatus.BOUNCED);
        JobRow row = services.parts().queries().page(Optional.empty(), 10).rows().get(0);
        assertThat(row.replyStatus()).isEqualTo("552 5.2.2");
        assertThat(row.recipientStatus()).isEqualTo(RecipientStatus.BOUNCED);
    }

    @Test
    void aRuleCanBounceATransientReplyAtOnce() throws Exception {
        new RetryPolicy(5, Duration.ofSeconds(1), 2, Duration.ofMinutes(1),
                RetryPolicy.parseRules("4xx retry\n4.7.x bounce")).save(services.parts().settings());
        sink.rejectRecipient("*@greylist.example", 450, "4.7.1 <ann@greylist.example>: policy refusal (injected)");
        UUID jobId = services.parts().queue().queue(Consoles.email("ann@greylist.example")).jobIds().get(0);
        services.startHost();

        awaitState(services, jobId, StateName.FAILED);

        JobDetail detail = services.parts().queries().detail(jobId).orElseThrow();
        assertThat(detail.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
            assertThat(attempt.smtpCode()).isEqualTo(450);
        });
        assertThat(detail.lastFailure().orElseThrow().willNotRetry()).isTrue();
        assertThat(detail.recipientStatus()).isEqualTo(RecipientStatus.BOUNCED);
    }

    @Test
    void noRetriesMeansTheFirstDeferralIsTheLastAttempt() throws Exception {
        new RetryPolicy(0, Duration.ofSeconds(3), 3, Duration.ofDays(1), RetryPolicy.parseRules(RetryPolicy.DEFAULT_RULES))
                .save(services.parts().settings());
        sink.faults().failPercent(100);
        UUID jobId = services.parts().queue().queue(Consoles.email("ann@example.org")).jobIds().get(0);
        services.startHost();

        awaitState(services, jobId, StateName.FAILED);

        // With JobRunr's default retry filter still in force, the job would have been scheduled again instead.
        assertThat(services.parts().queries().detail(jobId).orElseThrow().attempts()).singleElement()
                .extracting(DeliveryAttempt::outcome).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(services.parts().queries().detail(jobId).orElseThrow().history()).extracting(JobDetail.StateChange::state)
                .doesNotContain("Scheduled");
    }

    @Test
    void aDeferredRecipientShowsWhenItIsTriedNext() throws Exception {
        new RetryPolicy(3, Duration.ofHours(1), 2, Duration.ofDays(1), RetryPolicy.parseRules(RetryPolicy.DEFAULT_RULES))
                .save(services.parts().settings());
        sink.faults().failPercent(100);
        UUID jobId = services.parts().queue().queue(Consoles.email("ann@example.org")).jobIds().get(0);
        services.startHost();

        awaitState(services, jobId, StateName.SCHEDULED);

        JobDetail detail = services.parts().queries().detail(jobId).orElseThrow();
        assertThat(detail.recipientStatus()).isEqualTo(RecipientStatus.DEFERRED);
        assertThat(detail.nextAttempt()).hasValueSatisfying(next -> assertThat(Duration.between(
                detail.attempts().get(0).finishedAt(), next)).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61)));
    }

    /**
     * JobRunr's scheduled-jobs task enqueues every job whose time falls before its next poll, so a retry can start up
     * to a poll interval early as soon as a worker looks for work (one finishing a job, or e-mails being queued).
     * Here the retry is enqueued the way that task does, well before its time, and the host is woken as queueing does:
     * the e-mail must still not go out before its planned time, which greylisting waits and the "next attempt" shown
     * to the operator rely on.
     */
    @Test
    void aScheduledRetryIsNeverSentBeforeItsPlannedTime() throws Exception {
        new RetryPolicy(1, Duration.ofSeconds(8), 1, Duration.ofSeconds(8), RetryPolicy.parseRules(RetryPolicy.DEFAULT_RULES))
                .save(services.parts().settings());
        sink.faults().failPercent(100);
        UUID jobId = services.parts().queue().queue(Consoles.email("ann@example.org")).jobIds().get(0);
        services.startHost();
        awaitState(services, jobId, StateName.SCHEDULED);
        sink.faults().failPercent(0);
        Job scheduled = services.parts().engine().storage().getJobById(jobId);
        Instant planned = ((ScheduledState) scheduled.getJobState()).getScheduledAt();

        scheduled.enqueue();
        services.parts().engine().storage().save(scheduled);
        services.parts().engine().wakeHost();
        awaitState(services, jobId, StateName.SUCCEEDED);

        JobDetail detail = services.parts().queries().detail(jobId).orElseThrow();
        assertThat(detail.attempts()).extracting(DeliveryAttempt::outcome).containsExactly(Outcome.TRANSIENT_FAILURE, Outcome.SENT);
        assertThat(detail.attempts().get(1).startedAt()).as("the retry planned for %s", planned).isAfterOrEqualTo(planned);
        assertThat(sink.messages()).singleElement().satisfies(mail -> assertThat(mail.receivedAt()).isAfterOrEqualTo(planned));
    }
}
