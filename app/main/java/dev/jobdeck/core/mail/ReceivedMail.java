package dev.jobdeck.core.mail;

import java.time.Instant;

/**
 * One message as stored by the {@link LocalSmtpSink}, for the mailbox view.
 *
 * @param to every To and Cc recipient, comma separated
 * @param messageId the Message-ID header, empty if the sender set none
 */
public record ReceivedMail(Instant receivedAt, String from, String to, String subject, String messageId) {
}
