package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.Attachment;

import java.time.Instant;
import java.util.List;

/**
 * A {@link SendRequest} that passed validation. {@code runAt} is null for "now"; {@code cron} is set
 * only for a recurring schedule, with {@code runAt} its first run. {@code attachments} are the files'
 * contents as read at validation.
 */
public record ValidSend(String from, List<Recipient> recipients, String cc, String bcc, String subject, String body,
                        Instant runAt, String cron, List<Attachment> attachments) {
}
