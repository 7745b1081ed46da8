package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.BodyFormat;

import java.util.List;

/**
 * What the operator typed on the Compose screen, unvalidated. {@code to} may hold many recipients
 * separated by commas, semicolons or new lines: each one becomes its own e-mail and its own job.
 * {@code imported} holds the recipients of an imported CSV file instead (then {@code to} is empty), and
 * {@code attachments} the files to send with every e-mail, read when the request is queued.
 * Subject, body and {@code textAlternative} (the plain-text part of an HTML e-mail; empty: derived from
 * the HTML) are templates merged per recipient, with the CSV's columns as merge fields; {@code templateName}
 * names the saved template they came from, if any, and is kept with every e-mail.
 */
public record SendRequest(String from, String to, String cc, String bcc, String subject, String body, When when,
                          BodyFormat format, String textAlternative, String templateName,
                          List<Recipient> imported, List<AttachmentFile> attachments) {

    public enum Field { FROM, TO, CC, BCC, SUBJECT, BODY, WHEN, TEXT_ALTERNATIVE, ATTACHMENTS }

    public SendRequest {
        format = format == null ? BodyFormat.TEXT : format;
        textAlternative = textAlternative == null ? "" : textAlternative;
        templateName = templateName == null ? "" : templateName;
        imported = imported == null ? List.of() : List.copyOf(imported);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A plain-text request, not from a saved template, to the pasted recipients, without attachments. */
    public SendRequest(String from, String to, String cc, String bcc, String subject, String body, When when) {
        this(from, to, cc, bcc, subject, body, when, BodyFormat.TEXT, "", "", List.of(), List.of());
    }

    /** A plain-text request to imported recipients and/or with attachments. */
    public SendRequest(String from, String to, String cc, String bcc, String subject, String body, When when,
                       List<Recipient> imported, List<AttachmentFile> attachments) {
        this(from, to, cc, bcc, subject, body, when, BodyFormat.TEXT, "", "", imported, attachments);
    }

    /** A templated request to the pasted recipients, without attachments. */
    public SendRequest(String from, String to, String cc, String bcc, String subject, String body, When when,
                       BodyFormat format, String textAlternative, String templateName) {
        this(from, to, cc, bcc, subject, body, when, format, textAlternative, templateName, List.of(), List.of());
    }
}
