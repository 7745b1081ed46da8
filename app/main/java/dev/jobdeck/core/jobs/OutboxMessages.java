package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.Attachment;
import dev.jobdeck.core.mail.EmailAddresses;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The one place an outbox row becomes the message that is sent: used by the JobRunr job and the in-memory host. */
public final class OutboxMessages {

    private final Outbox outbox;

    public OutboxMessages(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * The message for {@code email}, its attachments read from the outbox.
     *
     * @throws MissingAttachmentException when an attachment the row names is no longer stored: sending without
     *                                    it would deliver a different e-mail than the one queued
     */
    public EmailMessage messageOf(OutboxEmail email) throws SQLException, MissingAttachmentException {
        List<Attachment> attachments = new ArrayList<>(email.attachmentIds().size());
        if (!email.attachmentIds().isEmpty()) {
            Map<UUID, Attachment> stored = outbox.attachments(email.attachmentIds());
            for (int i = 0; i < email.attachmentIds().size(); i++) {
                UUID id = email.attachmentIds().get(i);
                Attachment attachment = stored.get(id);
                if (attachment == null) {
                    throw new MissingAttachmentException("Attachment " + (i + 1) + " of " + email.attachmentIds().size()
                            + " (id " + id + ") is no longer in the outbox; the e-mail cannot be sent as it was queued.");
                }
                attachments.add(attachment);
            }
        }
        return new EmailMessage(email.from(), email.to(),
                EmailAddresses.parseList(email.cc()).addresses(), EmailAddresses.parseList(email.bcc()).addresses(),
                email.subject(), email.body(), email.format(), email.textAlternative(), attachments);
    }

    /** An attachment row that the e-mail names is gone: retrying cannot bring it back. */
    public static final class MissingAttachmentException extends Exception {

        public MissingAttachmentException(String message) {
            super(message);
        }
    }
}
