package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.BodyFormat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of the outbox: what to send to one recipient. {@code jobId} is the JobRunr job that delivers
 * it; a {@link Kind#RECURRING_TEMPLATE} row has none and is copied into a fresh row for every run.
 * {@code attachmentIds} name the {@code jd_attachment} rows sent with it, in order; the batch shares them.
 * Subject and body are already merged for this recipient: the row holds exactly what is sent.
 * {@code textAlternative} is the plain-text part of an HTML body (empty for plain text);
 * {@code templateName} the saved template the e-mail was composed from (empty if none).
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
        List<UUID> attachmentIds,
        BodyFormat format,
        String textAlternative,
        String templateName) {

    public OutboxEmail {
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
        format = format == null ? BodyFormat.TEXT : format;
        textAlternative = textAlternative == null ? "" : textAlternative;
        templateName = templateName == null ? "" : templateName;
    }

    /** A plain-text e-mail, not from a saved template, without attachments. */
    public OutboxEmail(UUID id, Kind kind, UUID jobId, String recurringJobId, UUID batchId, String from, String to,
                       String cc, String bcc, String subject, String body, Instant createdAt) {
        this(id, kind, jobId, recurringJobId, batchId, from, to, cc, bcc, subject, body, createdAt, List.of(),
                BodyFormat.TEXT, "", "");
    }

    /** A plain-text e-mail, not from a saved template, with attachments. */
    public OutboxEmail(UUID id, Kind kind, UUID jobId, String recurringJobId, UUID batchId, String from, String to,
                       String cc, String bcc, String subject, String body, Instant createdAt, List<UUID> attachmentIds) {
        this(id, kind, jobId, recurringJobId, batchId, from, to, cc, bcc, subject, body, createdAt, attachmentIds,
                BodyFormat.TEXT, "", "");
    }

    /** An e-mail in {@code format}, without attachments. */
    public OutboxEmail(UUID id, Kind kind, UUID jobId, String recurringJobId, UUID batchId, String from, String to,
                       String cc, String bcc, String subject, String body, Instant createdAt, BodyFormat format,
                       String textAlternative, String templateName) {
        this(id, kind, jobId, recurringJobId, batchId, from, to, cc, bcc, subject, body, createdAt, List.of(),
                format, textAlternative, templateName);
    }

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
                from, to, cc, bcc, subject, body, now, attachmentIds, format, textAlternative, templateName);
    }
}
