package dev.jobdeck.core.mail;

import jakarta.mail.MessagingException;

/**
 * A user name is configured but the server's EHLO reply (the one that counts: after STARTTLS when it is used)
 * offers no AUTH. Angus Mail then connects without logging in and sends anyway, even with {@code mail.smtp.auth}
 * set, so {@link Mailer#connect} checks and refuses instead (decision 19).
 */
final class AuthNotOfferedException extends MessagingException {

    AuthNotOfferedException(SmtpSettings settings) {
        super(settings.address() + " offers no AUTH " + where(settings.security()) + ", but user " + settings.username()
                + " is set, so JobDeck sends nothing through it without logging in. Check the port and security mode"
                + " (a submission port such as 587 with STARTTLS usually offers AUTH), or clear the user name to send"
                + " without logging in.");
    }

    private static String where(SmtpSecurity security) {
        return switch (security) {
            case NONE -> "on a plain connection";
            case STARTTLS -> "after STARTTLS";
            case SSL -> "over SSL/TLS";
        };
    }
}
