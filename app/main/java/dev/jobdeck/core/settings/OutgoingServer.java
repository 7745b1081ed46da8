package dev.jobdeck.core.settings;

import dev.jobdeck.core.mail.SmtpSecurity;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.Settings;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which SMTP server jobs deliver to: the built-in sink (the default, so a fresh install sends real SMTP
 * with no setup) or a server the operator configured. Kept in the database, which is protected by its
 * generated password, rather than in a plain config file. Jobs read {@link #current()} on every send,
 * so a change applies to the next attempt without a restart.
 */
public final class OutgoingServer {

    private static final String PREFIX = "smtp.";

    private final Settings settings;
    private final Supplier<Optional<SmtpSettings>> builtInSink;
    private volatile Optional<SmtpSettings> custom;

    public OutgoingServer(Settings settings, Supplier<Optional<SmtpSettings>> builtInSink) throws SQLException {
        this.settings = settings;
        this.builtInSink = builtInSink;
        this.custom = read(settings.readAll(PREFIX));
    }

    /** The server the next delivery goes to. */
    public SmtpSettings current() {
        return custom.or(builtInSink).orElseThrow(() -> new IllegalStateException(
                "No SMTP server is configured and the built-in sink is not running"));
    }

    public boolean usesBuiltInSink() {
        return custom.isEmpty();
    }

    public Optional<SmtpSettings> custom() {
        return custom;
    }

    public Optional<SmtpSettings> builtInSink() {
        return builtInSink.get();
    }

    public void useBuiltInSink() throws SQLException {
        settings.replaceAll(PREFIX, Map.of());
        custom = Optional.empty();
    }

    public void useServer(SmtpSettings server) throws SQLException {
        Map<String, String> values = new HashMap<>();
        values.put(PREFIX + "host", server.host());
        values.put(PREFIX + "port", Integer.toString(server.port()));
        values.put(PREFIX + "security", server.security().name());
        values.put(PREFIX + "username", server.username() == null ? "" : server.username());
        values.put(PREFIX + "password", server.password() == null ? "" : server.password());
        values.put(PREFIX + "connectTimeoutMs", Long.toString(server.connectTimeout().toMillis()));
        values.put(PREFIX + "readTimeoutMs", Long.toString(server.readTimeout().toMillis()));
        values.put(PREFIX + "writeTimeoutMs", Long.toString(server.writeTimeout().toMillis()));
        settings.replaceAll(PREFIX, values);
        custom = Optional.of(server);
    }

    private static Optional<SmtpSettings> read(Map<String, String> values) {
        if (!values.containsKey(PREFIX + "host")) {
            return Optional.empty();
        }
        return Optional.of(new SmtpSettings(
                values.get(PREFIX + "host"),
                Integer.parseInt(values.get(PREFIX + "port")),
                SmtpSecurity.valueOf(values.get(PREFIX + "security")),
                emptyToNull(values.get(PREFIX + "username")),
                emptyToNull(values.get(PREFIX + "password")),
                Duration.ofMillis(Long.parseLong(values.get(PREFIX + "connectTimeoutMs"))),
                Duration.ofMillis(Long.parseLong(values.get(PREFIX + "readTimeoutMs"))),
                Duration.ofMillis(Long.parseLong(values.get(PREFIX + "writeTimeoutMs")))));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
