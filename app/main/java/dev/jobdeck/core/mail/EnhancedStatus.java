package dev.jobdeck.core.mail;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RFC 3463 enhanced status code, e.g. {@code 5.1.1}, as servers write it right after the reply code
 * ({@code 550 5.1.1 <x@example.com>: Recipient address rejected}). The class says how final it is
 * (2 success, 4 persistent transient, 5 permanent); subject and detail say what went wrong.
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    private static final Pattern IN_REPLY = Pattern.compile("^\\s*[2-5]\\d\\d[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=[\\s:;,.]|$)");

    // RFC 3463 section 3, by subject.detail; the class is the same for all.
    private static final Map<String, String> MEANINGS = Map.ofEntries(
            Map.entry("0.0", "other or undefined status"),
            Map.entry("1.0", "other address status"),
            Map.entry("1.1", "bad destination mailbox address"),
            Map.entry("1.2", "bad destination system address"),
            Map.entry("1.3", "bad destination mailbox address syntax"),
            Map.entry("1.4", "destination mailbox address ambiguous"),
            Map.entry("1.5", "destination address valid"),
            Map.entry("1.6", "destination mailbox has moved"),
            Map.entry("1.7", "bad sender's mailbox address syntax"),
            Map.entry("1.8", "bad sender's system address"),
            Map.entry("2.0", "other or undefined mailbox status"),
            Map.entry("2.1", "mailbox disabled, not accepting messages"),
            Map.entry("2.2", "mailbox full"),
            Map.entry("2.3", "message length exceeds administrative limit"),
            Map.entry("2.4", "mailing list expansion problem"),
            Map.entry("3.0", "other or undefined mail system status"),
            Map.entry("3.1", "mail system full"),
            Map.entry("3.2", "system not accepting network messages"),
            Map.entry("3.3", "system not capable of selected features"),
            Map.entry("3.4", "message too big for system"),
            Map.entry("3.5", "system incorrectly configured"),
            Map.entry("4.0", "other or undefined network or routing status"),
            Map.entry("4.1", "no answer from host"),
            Map.entry("4.2", "bad connection"),
            Map.entry("4.3", "directory server failure"),
            Map.entry("4.4", "unable to route"),
            Map.entry("4.5", "mail system congestion"),
            Map.entry("4.6", "routing loop detected"),
            Map.entry("4.7", "delivery time expired"),
            Map.entry("5.0", "other or undefined protocol status"),
            Map.entry("5.1", "invalid command"),
            Map.entry("5.2", "syntax error"),
            Map.entry("5.3", "too many recipients"),
            Map.entry("5.4", "invalid command arguments"),
            Map.entry("5.5", "wrong protocol version"),
            Map.entry("6.0", "other or undefined media error"),
            Map.entry("6.1", "media not supported"),
            Map.entry("6.2", "conversion required and prohibited"),
            Map.entry("6.3", "conversion required but not supported"),
            Map.entry("6.4", "conversion with loss performed"),
            Map.entry("6.5", "conversion failed"),
            Map.entry("7.0", "other or undefined security status"),
            Map.entry("7.1", "delivery not authorized, message refused"),
            Map.entry("7.2", "mailing list expansion prohibited"),
            Map.entry("7.3", "security conversion required but not possible"),
            Map.entry("7.4", "security features not supported"),
            Map.entry("7.5", "cryptographic failure"),
            Map.entry("7.6", "cryptographic algorithm not supported"),
            Map.entry("7.7", "message integrity failure"));

    /** The enhanced status a server put after its reply code, if it gave one. */
    public static Optional<EnhancedStatus> inReply(String reply) {
        if (reply == null) {
            return Optional.empty();
        }
        Matcher m = IN_REPLY.matcher(reply);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new EnhancedStatus(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
    }

    /** RFC 3463's name for this status, e.g. "mailbox full"; empty for codes the RFC does not list. */
    public String meaning() {
        return MEANINGS.getOrDefault(subject + "." + detail, "");
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
