package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.mail.EmailAddresses;
import dev.jobdeck.core.mail.EmailMessage;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the outbox: what to send to one recipient. {@code jobId} is the JobRunr job that delivers
 * it; a {@link Kind#RECURRING_TEMPLATE} row has none and is copied into a fresh row for every run.
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
        BodyFormat format,
        String textAlternative,
        String templateName) {

    public OutboxEmail {
        format = format == null ? BodyFormat.TEXT : format;
        textAlternative = textAlternative == null ? "" : textAlternative;
        templateName = templateName == null ? "" : templateName;
    }

    /** A plain-text e-mail, not from a saved template. */
    public OutboxEmail(UUID id, Kind kind, UUID jobId, String recurringJobId, UUID batchId, String from, String to,
                       String cc, String bcc, String subject, String body, Instant createdAt) {
        this(id, kind, jobId, recurringJobId, batchId, from, to, cc, bcc, subject, body, createdAt, BodyFormat.TEXT, "", "");
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
                from, to, cc, bcc, subject, body, now, format, textAlternative, templateName);
    }

    /**
     * The message to send: the one place an outbox row becomes an {@link EmailMessage} (and, in the
     * {@code Mailer}, a MIME message: {@code multipart/alternative} for HTML).
     *
     * @throws dev.jobdeck.core.mail.InvalidEmailException when the row cannot be sent as it is
     */
    public EmailMessage toMessage() {
        return new EmailMessage(from, to, EmailAddresses.parseList(cc).addresses(), EmailAddresses.parseList(bcc).addresses(),
                subject, body, format, textAlternative);
    }
}
