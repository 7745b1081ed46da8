package dev.jobdeck.core.mail;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to send. The password is kept out of {@link #toString()} because settings end up in
 * log lines and exception messages.
 *
 * @param trustedFingerprint empty to validate the server's certificate against the system's trusted
 *     authorities (the default); or the SHA-256 fingerprint of the one certificate to trust instead,
 *     e.g. a self-signed one, as 64 upper-case hex digits
 */
public record SmtpSettings(
        String host,
        int port,
        SmtpSecurity security,
        String username,
        String password,
        Duration connectTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        String trustedFingerprint) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

    public SmtpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("SMTP host is required");
        }
        if (HeaderText.containsLineBreak(host)) {
            throw new IllegalArgumentException("SMTP host " + HeaderText.LINE_BREAK_MESSAGE);
        }
        host = host.strip();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SMTP port must be between 1 and 65535, was " + port);
        }
        security = Objects.requireNonNullElse(security, SmtpSecurity.NONE);
        username = username == null ? "" : username.strip();
        if (HeaderText.containsLineBreak(username)) {
            throw new IllegalArgumentException("SMTP username " + HeaderText.LINE_BREAK_MESSAGE);
        }
        password = password == null ? "" : password;
        connectTimeout = positive("connect timeout", connectTimeout, DEFAULT_CONNECT_TIMEOUT);
        readTimeout = positive("read timeout", readTimeout, DEFAULT_READ_TIMEOUT);
        writeTimeout = positive("write timeout", writeTimeout, DEFAULT_WRITE_TIMEOUT);
        trustedFingerprint = CertificateFingerprint.normalize(trustedFingerprint);
    }

    /** Settings that validate the server's certificate against the system's trusted authorities. */
    public SmtpSettings(String host, int port, SmtpSecurity security, String username, String password,
                        Duration connectTimeout, Duration readTimeout, Duration writeTimeout) {
        this(host, port, security, username, password, connectTimeout, readTimeout, writeTimeout, "");
    }

    /** Unauthenticated, unencrypted settings with default timeouts. */
    public static SmtpSettings of(String host, int port) {
        return new SmtpSettings(host, port, SmtpSecurity.NONE, "", "", null, null, null);
    }

    public SmtpSettings withSecurity(SmtpSecurity newSecurity) {
        return new SmtpSettings(host, port, newSecurity, username, password, connectTimeout, readTimeout, writeTimeout,
                trustedFingerprint);
    }

    public SmtpSettings withCredentials(String newUsername, String newPassword) {
        return new SmtpSettings(host, port, security, newUsername, newPassword, connectTimeout, readTimeout, writeTimeout,
                trustedFingerprint);
    }

    public SmtpSettings withTimeouts(Duration connect, Duration read, Duration write) {
        return new SmtpSettings(host, port, security, username, password, connect, read, write, trustedFingerprint);
    }

    /** Trusts exactly the certificate with this SHA-256 fingerprint (colons and case do not matter); empty for none. */
    public SmtpSettings withTrustedFingerprint(String fingerprint) {
        return new SmtpSettings(host, port, security, username, password, connectTimeout, readTimeout, writeTimeout,
                fingerprint);
    }

    /** Whether one specific certificate is trusted by fingerprint instead of by the system's authorities. */
    public boolean pinsCertificate() {
        return !trustedFingerprint.isEmpty();
    }

    /** Whether to AUTH: only when a username is configured, so an open relay works with no account. */
    public boolean hasCredentials() {
        return !username.isEmpty();
    }

    /** {@code host:port}, as operators recognise a server in messages. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", security=" + security
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "****")
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", writeTimeout=" + writeTimeout
                + (trustedFingerprint.isEmpty() ? "" : ", trustedFingerprint=" + trustedFingerprint) + "]";
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("SMTP " + name + " must be positive, was " + value);
        }
        // Jakarta Mail takes int milliseconds; a larger value would overflow into a negative timeout.
        if (value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SMTP " + name + " is too long: " + value);
        }
        return value;
    }
}
