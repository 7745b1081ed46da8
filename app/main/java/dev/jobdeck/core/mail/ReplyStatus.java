package dev.jobdeck.core.mail;

import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.core.mail.EnhancedStatus;

import java.util.Optional;

/** How the dashboard writes a server's reply in a narrow column: its code and enhanced status, e.g. "550 5.1.1". */
public final class ReplyStatus {

    private ReplyStatus() {
    }

    /** "550 5.1.1", "250", or "" when there was no reply (the server was not reached). */
    public static String of(Integer code, String reply) {
        if (code == null || code <= 0) {
            return "";
        }
        return code + EnhancedStatus.inReply(reply).map(status -> " " + status).orElse("");
    }

    /** The reply without its leading code and enhanced status: "Recipient address rejected"; other text as it is. */
    public static String withoutStatus(String reply) {
        return reply == null ? null : reply.replaceFirst("^\\s*[2-5]\\d\\d[ -]([245]\\.\\d{1,3}\\.\\d{1,3}\\s*)?", "");
    }

    /** RFC 3463's words for the reply's enhanced status, e.g. "bad destination mailbox address"; empty if none. */
    public static String meaning(String reply) {
        Optional<EnhancedStatus> status = EnhancedStatus.inReply(reply);
        return status.map(EnhancedStatus::meaning).orElse("");
    }
}
