package dev.jobdeck.core.mail;

/** How the SMTP connection is protected. */
public enum SmtpSecurity {
    /** Plain text; only sensible for the local sink or a relay on the same host. */
    NONE,
    /** Plain connect, then STARTTLS; refused if the server does not offer it, so it never silently degrades. */
    STARTTLS,
    /** TLS from the first byte (SMTPS, usually port 465). */
    SSL
}
