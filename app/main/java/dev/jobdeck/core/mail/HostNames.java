package dev.jobdeck.core.mail;

import java.net.IDN;
import java.util.Optional;

/**
 * The DNS limits on a host name (RFC 1035 §2.3.4, RFC 1123 §2.1): at most 253 characters written out (255 octets
 * on the wire), at most 63 in each label between dots, no empty label. An internationalised name is measured in
 * the ASCII ("xn--") form that DNS and SMTP carry. An IP address passes: its parts are short.
 */
public final class HostNames {

    public static final int MAX_LENGTH = 253;
    public static final int MAX_LABEL = 63;

    private HostNames() {
    }

    /**
     * What is wrong with {@code host}, worded to follow "The host " or "the domain ", or empty when it keeps to the
     * limits. A single trailing dot (the DNS root, {@code mail.example.org.}) is allowed.
     */
    public static Optional<String> problem(String host) {
        String name = host.endsWith(".") && host.length() > 1 ? host.substring(0, host.length() - 1) : host;
        if (name.startsWith("[") && name.endsWith("]")) {
            // An address literal ([192.0.2.1], [IPv6:...]) is no DNS name.
            return name.length() > MAX_LENGTH ? Optional.of(tooLong(name.length())) : Optional.empty();
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of(tooLong(name.length()));
        }
        String ascii = name;
        if (!name.chars().allMatch(c -> c < 0x80)) {
            try {
                ascii = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return Optional.of("is not a valid internationalised domain name");
            }
            if (ascii.length() > MAX_LENGTH) {
                return Optional.of("is " + ascii.length() + " characters long in its ASCII (xn--) form; at most "
                        + MAX_LENGTH + " are allowed");
            }
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty()) {
                return Optional.of("has an empty part between dots");
            }
            if (label.length() > MAX_LABEL) {
                return Optional.of("has a part of " + label.length() + " characters between dots; at most " + MAX_LABEL
                        + " are allowed");
            }
        }
        return Optional.empty();
    }

    private static String tooLong(int length) {
        return "is " + length + " characters long; at most " + MAX_LENGTH + " are allowed";
    }
}
