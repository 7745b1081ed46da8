package dev.jobdeck.core.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of the outbox: what to send to one recipient. {@code jobId} is the JobRunr job that delivers
 * it; a {@link Kind#RECURRING_TEMPLATE} row has none and is copied into a fresh row for every run.
 * {@code attachmentIds} name the {@code jd_attachment} rows sent with it, in order; the batch shares them.
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
        Instant createdAt,
        List<UUID> attachmentIds) {

    public enum Kind {
        ONE_OFF,
        RECURRING_TEMPLATE,
        RECURRING_RUN,
        /** Handed to an in-memory host's plain executor (the {@code QueueBackgroundWorkItem} baseline): no job. */
        IN_MEMORY
    }

    public OutboxEmail {
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
    }

    /** A row without attachments. */
    public OutboxEmail(UUID id, Kind kind, UUID jobId, String recurringJobId, UUID batchId, String from, String to,
                       String cc, String bcc, String subject, String body, Instant createdAt) {
        this(id, kind, jobId, recurringJobId, batchId, from, to, cc, bcc, subject, body, createdAt, List.of());
    }

    /** The copy of a recurring template that one run of its schedule (job {@code runJobId}) delivers. */
    public OutboxEmail runOf(UUID runJobId, Instant now) {
        return new OutboxEmail(UUID.randomUUID(), Kind.RECURRING_RUN, runJobId, recurringJobId, batchId,
                from, to, cc, bcc, subject, body, now, attachmentIds);
    }
}
