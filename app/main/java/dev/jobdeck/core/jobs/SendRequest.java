package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.BodyFormat;

/**
 * What the operator typed on the Compose screen, unvalidated. {@code to} may hold many recipients
 * separated by commas, semicolons or new lines: each one becomes its own e-mail and its own job.
 * Subject, body and {@code textAlternative} (the plain-text part of an HTML e-mail; empty: derived from
 * the HTML) are templates merged per recipient; {@code templateName} names the saved template they came
 * from, if any, and is kept with every e-mail.
 */
public record SendRequest(String from, String to, String cc, String bcc, String subject, String body, When when,
                          BodyFormat format, String textAlternative, String templateName) {

    public enum Field { FROM, TO, CC, BCC, SUBJECT, BODY, WHEN, TEXT_ALTERNATIVE }

    /** A plain-text request, not from a saved template. */
    public SendRequest(String from, String to, String cc, String bcc, String subject, String body, When when) {
        this(from, to, cc, bcc, subject, body, when, BodyFormat.TEXT, "", "");
    }
}
