package dev.jobdeck.core.store;

import java.time.Instant;
import java.util.UUID;

/** One row of the delivery ledger: one try at handing one e-mail to the SMTP server. */
public record DeliveryAttempt(
        UUID jobId,
        int attempt,
        UUID emailId,
        String host,
        Instant startedAt,
        Instant finishedAt,
        Outcome outcome,
        Integer smtpCode,
        String smtpReply,
        String messageId) {

    /**
     * {@code STARTED} with no finish time means the attempt never reported back: its host died or
     * was restarted while it ran.
     */
    public enum Outcome { STARTED, SENT, PERMANENT_FAILURE, TRANSIENT_FAILURE, SKIPPED_ALREADY_SENT }
}
