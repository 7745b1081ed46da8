package dev.jobdeck.core.jobs;

import java.util.List;

/**
 * What the operator typed on the Compose screen, unvalidated. {@code to} may hold many recipients
 * separated by commas, semicolons or new lines: each one becomes its own e-mail and its own job.
 * {@code imported} holds the recipients of an imported CSV file instead (then {@code to} is empty), and
 * {@code attachments} the files to send with every e-mail, read when the request is queued.
 */
public record SendRequest(String from, String to, String cc, String bcc, String subject, String body, When when,
                          List<Recipient> imported, List<AttachmentFile> attachments) {

    public enum Field { FROM, TO, CC, BCC, SUBJECT, BODY, WHEN, ATTACHMENTS }

    public SendRequest {
        imported = imported == null ? List.of() : List.copyOf(imported);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    public SendRequest(String from, String to, String cc, String bcc, String subject, String body, When when) {
        this(from, to, cc, bcc, subject, body, when, List.of(), List.of());
    }
}
