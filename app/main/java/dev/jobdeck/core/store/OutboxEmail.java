package dev.jobdeck.core.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the outbox: what to send to one recipient. {@code jobId} is the JobRunr job that delivers
 * it; a {@link Kind#RECURRING_TEMPLATE} row has none and is copied into a fresh row for every run.
 */
public record OutboxEmail(
        UUID id,
        Kind kind,
        UUID jobId,
        String recurringJobId,
        UUID batchId,
        String from,
        String to,
        String cc,
        String bcc,
        String subject,
        String body,
        Instant createdAt) {

    public enum Kind {
        ONE_OFF,
        RECURRING_TEMPLATE,
        RECURRING_RUN,
        /** Handed to an in-memory host's plain executor (the {@code QueueBackgroundWorkItem} baseline): no job. */
        IN_MEMORY
    }

    /** The copy of a recurring template that one run of its schedule (job {@code runJobId}) delivers. */
    public OutboxEmail runOf(UUID runJobId, Instant now) {
        return new OutboxEmail(UUID.randomUUID(), Kind.RECURRING_RUN, runJobId, recurringJobId, batchId,
                from, to, cc, bcc, subject, body, now);
    }
}
