package dev.jobdeck.core.mail;

import java.io.Serializable;
import java.util.Objects;

/**
 * Why a delivery or connection failed, in the terms a retry policy needs.
 *
 * @param replyCode the SMTP reply code, or 0 when the server never replied (connection refused, timeout)
 * @param replyText the server's reply, or an operator-readable description when there was none
 */
public record SmtpFailure(Kind kind, int replyCode, String replyText) implements Serializable {

    public enum Kind {
        /** Retrying the same message will fail the same way (5xx): fail the job, do not retry. */
        PERMANENT,
        /** May succeed later (4xx, network trouble, anything unrecognised): let the job retry. */
        TRANSIENT
    }

    public SmtpFailure {
        Objects.requireNonNull(kind, "kind");
        replyText = replyText == null ? "" : replyText.strip();
    }

    public boolean isPermanent() {
        return kind == Kind.PERMANENT;
    }

    /** Classification by reply code alone: 5xx permanent, everything else transient. */
    public static SmtpFailure ofReply(int replyCode, String replyText) {
        Kind kind = replyCode >= 500 && replyCode <= 599 ? Kind.PERMANENT : Kind.TRANSIENT;
        return new SmtpFailure(kind, replyCode, replyText);
    }

    @Override
    public String toString() {
        return kind + (replyCode > 0 ? " " + replyCode : "") + ": " + replyText;
    }
}
