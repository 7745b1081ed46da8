package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.mail.ReplyStatus;
import dev.jobdeck.core.settings.RetryPolicy.Decision;
import dev.jobdeck.core.mail.EnhancedStatus;
import dev.jobdeck.core.mail.SmtpFailure;
import dev.jobdeck.core.settings.RetryPolicy;
import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    private static final String RULES = """
            4xx retry
            # mailbox full is often only for now
            5.2.2 retry
            5xx bounce
            4.7.x bounce
            450 retry
            """;

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "451 | 451 4.3.0 Temporary failure          | RETRY",
            "552 | 552 5.2.2 Mailbox full               | RETRY",
            "550 | 550 5.1.1 <x@example.org>: no such user | BOUNCE",
            "554 | 554 Transaction failed               | BOUNCE",
            // the enhanced rule 4.7.x outranks the reply-code rule 450
            "450 | 450 4.7.1 Greylisted, come back later | BOUNCE",
            "450 | 450 Mailbox busy                     | RETRY",
            "421 | 421-4.3.2 Service shutting down      | RETRY",
    })
    void theMostSpecificRuleDecides(int code, String reply, Decision expected) {
        RetryPolicy policy = policyWith(RULES);

        assertThat(policy.decide(SmtpFailure.ofReply(code, reply))).isEqualTo(expected);
    }

    @Test
    void withoutAMatchingRuleA5xxBouncesAndTheRestRetries() {
        RetryPolicy policy = policyWith("5.2.2 retry");

        assertThat(policy.decide(SmtpFailure.ofReply(550, "550 5.1.1 no such user"))).isEqualTo(Decision.BOUNCE);
        assertThat(policy.decide(SmtpFailure.ofReply(452, "452 too many recipients"))).isEqualTo(Decision.RETRY);
        assertThat(policy.decide(SmtpFailure.ofReply(552, "552 5.2.2 full"))).isEqualTo(Decision.RETRY);
    }

    @Test
    void aFailureWithoutAReplyKeepsTheMailLayersVerdict() {
        RetryPolicy policy = policyWith("4xx bounce\n5xx bounce");

        assertThat(policy.decide(new SmtpFailure(SmtpFailure.Kind.TRANSIENT, 0, "Connection refused")))
                .isEqualTo(Decision.RETRY);
    }

    @Test
    void onATieTheEarlierLineWins() {
        assertThat(policyWith("45x bounce\n4x1 retry").decide(SmtpFailure.ofReply(451, "451 later")))
                .isEqualTo(Decision.BOUNCE);
        assertThat(policyWith("4x1 retry\n45x bounce").decide(SmtpFailure.ofReply(451, "451 later")))
                .isEqualTo(Decision.RETRY);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "4xx retry\\n5xx explode | Line 2: 'explode' must be 'retry' or 'bounce'.",
            "4xx                     | Line 1: write a pattern and 'retry' or 'bounce', e.g. '5.2.2 retry'.",
            "\\n\\n6xx retry         | Line 3: '6xx' is neither a reply code like 4xx or 550 nor an enhanced status like 5.2.2 or 4.7.x.",
            "4xx retry; 5.2 bounce   | Line 1: '5.2' is neither a reply code like 4xx or 550 nor an enhanced status like 5.2.2 or 4.7.x.",
    })
    void badRulesAreRefusedNamingTheLine(String text, String message) {
        assertThatThrownBy(() -> RetryPolicy.parseRules(text.replace("\\n", "\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rulesMayBeSeparatedBySemicolonsAndCarryComments() {
        assertThat(RetryPolicy.parseRules("4xx retry; 5.2.2 RETRY # full\n\n5XX bounce"))
                .extracting(RetryPolicy.ReplyRule::toString)
                .containsExactly("4xx retry", "5.2.2 retry", "5xx bounce");
    }

    @Test
    void delaysGrowByTheFactorUpToTheLongestWait() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofMinutes(1), 2, Duration.ofMinutes(10), List.of());

        assertThat(List.of(1, 2, 3, 4, 5, 6)).map(policy::delayBeforeRetry).containsExactly(
                Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
                Duration.ofMinutes(10), Duration.ofMinutes(10));
        assertThat(policy.span()).isEqualTo(Duration.ofMinutes(35));
        assertThat(policy.describeSchedule())
                .isEqualTo("Retries after 1 min, 2 min, 4 min, 8 min, 10 min, … (6 in all); gives up 35 min after the first failure.");
    }

    @Test
    void theDefaultsAreJobRunrsOwnSchedule() {
        RetryPolicy policy = RetryPolicy.defaults();

        // JobRunr's RetryFilter waits 3^n seconds before retry n, ten times.
        for (int n = 1; n <= 10; n++) {
            assertThat(policy.delayBeforeRetry(n)).isEqualTo(Duration.ofSeconds((long) Math.pow(3, n)));
        }
        assertThat(policy.maxRetries()).isEqualTo(10);
    }

    @Test
    void noRetriesSaysSo() {
        assertThat(new RetryPolicy(0, Duration.ofSeconds(3), 3, Duration.ofDays(1), List.of()).describeSchedule())
                .isEqualTo("A failed delivery is not retried: it bounces at the first failure.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"90, PT1M30S", "90s, PT1M30S", "15m, PT15M", "15 min, PT15M", "2h, PT2H", "1d, PT24H", "1D, PT24H"})
    void delaysAreWrittenWithOrWithoutAUnit(String text, Duration expected) {
        assertThat(RetryPolicy.parseDelay(text)).isEqualTo(expected);
        assertThat(RetryPolicy.parseDelay(RetryPolicy.delayText(expected))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"''", "soon", "-5", "1.5h", "3w"})
    void otherDelaysAreRefused(String text) {
        assertThatThrownBy(() -> RetryPolicy.parseDelay(text)).hasMessageContaining("90s, 15m, 2h or 1d");
    }

    @Test
    void inconsistentLimitsAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(101, Duration.ofSeconds(3), 3, Duration.ofDays(1), List.of()))
                .hasMessageStartingWith("Retries must be from 0 to 100");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofHours(2), 3, Duration.ofHours(1), List.of()))
                .hasMessageStartingWith("The longest delay must be at least the first delay");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(3), 0.5, Duration.ofHours(1), List.of()))
                .hasMessageStartingWith("The backoff factor must be from 1");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "550 5.1.1 <bob@example.org>: Recipient address rejected | 5.1.1 | bad destination mailbox address",
            "452-4.2.2 The email account is over quota               | 4.2.2 | mailbox full",
            "250 2.0.0 Ok: queued as 1234                            | 2.0.0 | other or undefined status",
            "451 4.3.0 Temporary failure                             | 4.3.0 | other or undefined mail system status",
    })
    void enhancedStatusIsReadFromTheReply(String reply, String status, String meaning) {
        EnhancedStatus parsed = EnhancedStatus.inReply(reply).orElseThrow();

        assertThat(parsed).hasToString(status);
        assertThat(parsed.meaning()).isEqualTo(meaning);
        assertThat(ReplyStatus.of(Integer.parseInt(reply.substring(0, 3)), reply)).isEqualTo(reply.substring(0, 3) + " " + status);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {"550 Mailbox unavailable", "550 5.1 bad", "Connection refused", "550 1.2.3 odd",
            "550 version 5.1.1"})
    void repliesWithoutAnEnhancedStatusHaveNone(String reply) {
        assertThat(EnhancedStatus.inReply(reply)).isEmpty();
    }

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource({
            "ENQUEUED,,WAITING",
            "PROCESSING,STARTED,SENDING",
            "SUCCEEDED,SENT,SENT",
            "SUCCEEDED,SKIPPED_ALREADY_SENT,SENT",
            "SCHEDULED,TRANSIENT_FAILURE,DEFERRED",
            "ENQUEUED,STARTED,DEFERRED",
            "PROCESSING,TRANSIENT_FAILURE,DEFERRED",
            "FAILED,TRANSIENT_FAILURE,BOUNCED",
            "FAILED,PERMANENT_FAILURE,BOUNCED",
            "DELETED,TRANSIENT_FAILURE,CANCELLED",
            "SCHEDULED,,WAITING",
    })
    void recipientStatusFollowsTheJobAndItsLastAttempt(JobState state, Outcome outcome, RecipientStatus expected) {
        assertThat(RecipientStatus.of(state, outcome)).isEqualTo(expected);
    }

    private static RetryPolicy policyWith(String rules) {
        return new RetryPolicy(3, Duration.ofSeconds(3), 3, Duration.ofDays(1), RetryPolicy.parseRules(rules));
    }
}
