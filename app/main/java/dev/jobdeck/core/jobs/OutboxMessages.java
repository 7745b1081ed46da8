package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.EmailAddresses;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.store.OutboxEmail;

/**
 * The one place where an outbox row becomes the message that is sent: every job (single, bulk, follow-up) and
 * the in-memory baseline call it, so what an e-mail carries (templates, attachments, ...) is added here once.
 */
public final class OutboxMessages {

    private OutboxMessages() {
    }

    public static EmailMessage toMessage(OutboxEmail email) {
        return EmailMessage.of(email.from(), email.to(),
                EmailAddresses.parseList(email.cc()).addresses(), EmailAddresses.parseList(email.bcc()).addresses(),
                email.subject(), email.body());
    }
}
