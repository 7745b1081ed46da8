package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.testsupport.ConsoleStore;
import dev.jobdeck.testsupport.Consoles;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Jobs meet the sink's injected faults as they would a real server's: retry, fail for good, time out. */
@ConsoleStore
class SinkFaultDeliveryTest {

    private ConsoleServices services;
    private LocalSmtpSink sink;

    @BeforeEach
    void open(ConsoleServices services) {
        this.services = services;
        sink = services.sink().orElseThrow();
    }

    @Test
    void transientFailureIsRetriedAndTheRetrySucceeds() throws Exception {
        sink.faults().failPercent(50);
        UUID jobId = services.parts().queue().queue(Consoles.email("ann@example.org")).jobIds().get(0);
        services.startHost();

        awaitState(services, jobId, StateName.SUCCEEDED);

        assertThat(services.parts().queries().detail(jobId).orElseThrow().attempts())
                .extracting(DeliveryAttempt::outcome, DeliveryAttempt::smtpCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.TRANSIENT_FAILURE, 451),
                        org.assertj.core.groups.Tuple.tuple(Outcome.SENT, 250));
        assertThat(sink.mailbox().countByMessageId(MessageIds.forJob(jobId))).isEqualTo(1);
    }

    @Test
    void addressMatchingARejectionPatternFailsForGoodWithoutRetry() throws Exception {
        sink.rejectRecipient("*@blocked.example", 550, "5.7.1 relaying denied (injected)");
        UUID jobId = services.parts().queue().queue(Consoles.email("ann@blocked.example")).jobIds().get(0);
        services.startHost();

        awaitState(services, jobId, StateName.FAILED);

        assertThat(services.parts().queries().detail(jobId).orElseThrow().attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
            assertThat(attempt.smtpCode()).isEqualTo(550);
        });
        assertThat(sink.messageCount()).isZero();
    }

    @Test
    void hungServerIsLeftByTheReadTimeoutSoTheWorkerIsFreeAndTheJobRetries() throws Exception {
        // The sink's address with a 1 s read timeout, saved as the custom server jobs deliver to.
        services.parts().outgoing().useServer(sink.settings().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
        sink.faults().hang(true);
        UUID jobId = services.parts().queue().queue(Consoles.email("ann@example.org")).jobIds().get(0);
        services.startHost();

        await().atMost(Consoles.JOB_TIMEOUT).until(() -> services.parts().queries().detail(jobId).orElseThrow().attempts().stream()
                .anyMatch(a -> a.outcome() == Outcome.TRANSIENT_FAILURE));
        DeliveryAttempt timedOut = services.parts().queries().detail(jobId).orElseThrow().attempts().get(0);
        assertThat(timedOut.smtpReply()).isEqualTo("No reply from " + sink.settings().address() + " within 1 s");
        // The configured 1 s read timeout ended it, not the default one (30 s): a bound on which timeout, not on speed.
        assertThat(Duration.between(timedOut.startedAt(), timedOut.finishedAt()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(SmtpSettings.DEFAULT_READ_TIMEOUT);

        sink.faults().hang(false);
        awaitState(services, jobId, StateName.SUCCEEDED);
        assertThat(sink.mailbox().countByMessageId(MessageIds.forJob(jobId))).isEqualTo(1);
    }
}
