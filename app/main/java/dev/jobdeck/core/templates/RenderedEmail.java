package dev.jobdeck.core.templates;

import dev.jobdeck.core.mail.BodyFormat;

/**
 * What one recipient gets: subject and body with their fields merged. For HTML, {@code textAlternative}
 * is the plain-text part, either the operator's (merged) or derived from the merged HTML
 * ({@code textDerived}); for plain text it is empty.
 */
public record RenderedEmail(String subject, String body, BodyFormat format, String textAlternative, boolean textDerived) {
}
