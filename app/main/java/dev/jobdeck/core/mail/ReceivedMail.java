package dev.jobdeck.core.mail;

import java.time.Instant;

/**
 * One message accepted by the {@link LocalSmtpSink} (one SMTP transaction), for the mailbox view.
 *
 * @param to every To and Cc header recipient, comma separated
 * @param messageId the Message-ID header, empty if the sender set none
 * @param recipients the envelope recipients (RCPT TO), comma separated; includes Bcc recipients
 * @param sizeBytes the size of the message as received, headers included
 */
public record ReceivedMail(Instant receivedAt, String from, String to, String subject, String messageId,
                           String recipients, long sizeBytes) {
}
