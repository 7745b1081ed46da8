package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.Attachment;
import dev.jobdeck.core.templates.MailTemplate;

import java.time.Instant;
import java.util.List;

/**
 * A {@link SendRequest} that passed validation. {@code runAt} is null for "now"; {@code cron} is set
 * only for a recurring schedule, with {@code runAt} its first run. {@code subject} and {@code body} are
 * the template's source; {@code template} merges them for each recipient, and every recipient was checked
 * to have the fields it uses. {@code templateName} is empty when no saved template was used.
 * {@code attachments} are the files' contents as read at validation.
 */
public record ValidSend(String from, List<Recipient> recipients, String cc, String bcc, String subject, String body,
                        Instant runAt, String cron, MailTemplate template, String templateName,
                        List<Attachment> attachments) {
}
