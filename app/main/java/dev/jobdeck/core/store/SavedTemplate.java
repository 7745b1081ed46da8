package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.BodyFormat;

import java.time.Instant;

/**
 * A template the operator saved on the Compose screen, unmerged. {@code textAlternative} is the plain-text
 * part of an HTML template; empty means it is derived from the HTML at send time.
 */
public record SavedTemplate(String name, String subject, String body, BodyFormat format, String textAlternative,
                            Instant updatedAt) {

    public SavedTemplate {
        format = format == null ? BodyFormat.TEXT : format;
        subject = subject == null ? "" : subject;
        body = body == null ? "" : body;
        textAlternative = textAlternative == null ? "" : textAlternative;
    }
}
