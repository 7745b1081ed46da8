package dev.jobdeck.core.mail;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** SHA-256 certificate fingerprints, as operators copy them from {@code openssl x509 -fingerprint -sha256}. */
public final class CertificateFingerprint {

    private static final Pattern HEX64 = Pattern.compile("[0-9A-F]{64}");

    private CertificateFingerprint() {
    }

    /**
     * The fingerprint as 64 upper-case hex digits, with colons, spaces and case ignored; empty for
     * null or blank.
     *
     * @throws IllegalArgumentException when what is left is not 64 hex digits
     */
    public static String normalize(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String digits = text.strip().replace(":", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (digits.startsWith("SHA256=")) {
            digits = digits.substring("SHA256=".length());
        }
        if (!HEX64.matcher(digits).matches()) {
            throw new IllegalArgumentException("A SHA-256 fingerprint is 64 hex digits (0-9, A-F), colons allowed;"
                    + " got " + digits.length() + " characters" + (digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                    ? "" : " including characters that are not hex digits") + ".");
        }
        return digits;
    }

    /** {@code AB:CD:…}, the way certificate tools print it. */
    public static String display(String normalized) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < normalized.length(); i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(normalized, i, Math.min(i + 2, normalized.length()));
        }
        return out.toString();
    }

    public static String of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("Cannot compute the certificate's SHA-256 fingerprint", e);
        }
    }
}
