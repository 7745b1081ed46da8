package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.jobs.query.PageKey;
import dev.jobdeck.core.mail.ReplyStatus;
import dev.jobdeck.core.store.DeliveryAttempt.Outcome;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of the jobs table: the job joined with its e-mail and its delivery attempts.
 *
 * @param lastOutcome  the outcome of the latest attempt, or null before the first
 * @param lastCode     the SMTP reply code of the latest attempt, or null when the server never replied
 * @param sortValue    the row's key in the page's order when it is a shown column's ({@link PageKey#value()}), else null
 */
public record JobRow(UUID jobId, String recipient, String subject, JobState state, int attempts, String host,
                     Instant createdAt, Instant updatedAt, Instant scheduledAt, String lastReply, Outcome lastOutcome,
                     Integer lastCode, Object sortValue) {

    JobRow withSortValue(Object value) {
        return new JobRow(jobId, recipient, subject, state, attempts, host, createdAt, updatedAt, scheduledAt, lastReply,
                lastOutcome, lastCode, value);
    }

    public RecipientStatus recipientStatus() {
        return RecipientStatus.of(state, lastOutcome);
    }

    /** The latest reply's code and enhanced status, e.g. "550 5.1.1"; empty when the server never replied. */
    public String replyStatus() {
        return ReplyStatus.of(lastCode, lastReply);
    }

    /** Where this row stands in its page's order: the key of the page that starts after (or ends before) it. */
    public PageKey pageKey() {
        return new PageKey(state(), updatedAt(), jobId(), sortValue());
    }
}
