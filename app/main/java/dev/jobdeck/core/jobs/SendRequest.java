package dev.jobdeck.core.jobs;

/**
 * What the operator typed on the Compose screen, unvalidated. {@code to} may hold many recipients
 * separated by commas, semicolons or new lines: each one becomes its own e-mail and its own job.
 */
public record SendRequest(String from, String to, String cc, String bcc, String subject, String body, When when) {

    public enum Field { FROM, TO, CC, BCC, SUBJECT, BODY, WHEN }
}
