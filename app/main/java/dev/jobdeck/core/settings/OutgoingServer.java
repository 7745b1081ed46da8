package dev.jobdeck.core.settings;

import dev.jobdeck.core.mail.SmtpSecurity;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.Secrets.SecretsException;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.core.store.StoreException;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static dev.jobdeck.core.settings.Configuration.HOST;
import static dev.jobdeck.core.settings.Configuration.PASSWORD;
import static dev.jobdeck.core.settings.Configuration.PORT;
import static dev.jobdeck.core.settings.Configuration.SECURITY;
import static dev.jobdeck.core.settings.Configuration.SERVER;
import static dev.jobdeck.core.settings.Configuration.STORED_CONNECT_TIMEOUT;
import static dev.jobdeck.core.settings.Configuration.STORED_READ_TIMEOUT;
import static dev.jobdeck.core.settings.Configuration.STORED_WRITE_TIMEOUT;
import static dev.jobdeck.core.settings.Configuration.TRUST_FINGERPRINT;
import static dev.jobdeck.core.settings.Configuration.USERNAME;

/**
 * Which SMTP server jobs deliver to: the built-in sink (the default, so a fresh install sends real SMTP
 * with no setup) or a server the operator configured. Kept in the database, except the password, which
 * lives in {@link Secrets} (the OS keyring or an encrypted owner-only file). Jobs read {@link #current()}
 * on every send, so a change made on the Settings screen applies to the next attempt without a restart;
 * changes made with {@code jobdeck config} are read at the next start.
 */
public final class OutgoingServer {

    private static final String PREFIX = "smtp.";

    private final Settings settings;
    private final Secrets secrets;
    private final Supplier<Optional<SmtpSettings>> builtInSink;
    private volatile boolean useSink;
    private volatile Optional<SmtpSettings> saved;

    public OutgoingServer(Settings settings, Secrets secrets, Supplier<Optional<SmtpSettings>> builtInSink)
            throws SQLException, StoreException {
        this.settings = settings;
        this.secrets = secrets;
        this.builtInSink = builtInSink;
        try {
            Map<String, String> stored = settings.readAll(PREFIX);
            moveLegacyPassword(stored);
            this.useSink = Configuration.serverChoice(stored).equals("sink");
            this.saved = read(stored, secrets.get(PASSWORD).orElse(""));
        } catch (SecretsException e) {
            throw new StoreException("Cannot read the SMTP password: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new StoreException("The saved SMTP settings are not valid (" + e.getMessage()
                    + "). Fix them with 'jobdeck config set'.", e);
        }
    }

    /** Versions before the secret store kept the password in jd_setting; it moves out on first start. */
    private void moveLegacyPassword(Map<String, String> stored) throws SQLException, SecretsException {
        String legacy = stored.remove(PREFIX + "password");
        if (legacy != null) {
            if (!legacy.isEmpty()) {
                secrets.put(PASSWORD, legacy);
            }
            settings.put(PREFIX + "password", null);
        }
    }

    /**
     * Reads the saved choice again: a worker process calls this every few seconds, since the console's Settings
     * screen changes the store, not the worker's memory. A value that cannot be read keeps the last one.
     */
    public void reload() {
        try {
            Map<String, String> stored = settings.readAll(PREFIX);
            Optional<SmtpSettings> server = read(stored, secrets.get(PASSWORD).orElse(""));
            boolean sink = Configuration.serverChoice(stored).equals("sink");
            saved = server;
            useSink = sink;
        } catch (SQLException | SecretsException | RuntimeException e) {
            System.getLogger(OutgoingServer.class.getName()).log(System.Logger.Level.WARNING,
                    "Cannot re-read the SMTP settings; keeping the last ones: " + e.getMessage());
        }
    }

    /**
     * The server a job delivers to, read again from the store at most every {@code maxAge}: a worker's deliveries
     * see a change saved on the console's Settings screen within that time.
     */
    public Supplier<SmtpSettings> rereadEvery(Duration maxAge) {
        long[] readAt = {System.nanoTime()};
        return () -> {
            synchronized (readAt) {
                if (System.nanoTime() - readAt[0] > maxAge.toNanos()) {
                    readAt[0] = System.nanoTime();
                    reload();
                }
            }
            return current();
        };
    }

    /** The server the next delivery goes to. */
    public SmtpSettings current() {
        Optional<SmtpSettings> chosen = useSink ? builtInSink.get() : saved;
        return chosen.orElseThrow(() -> new IllegalStateException(useSink
                ? "The built-in SMTP sink is not running in this process and no other SMTP server is chosen"
                : "No SMTP server is configured"));
    }

    public boolean usesBuiltInSink() {
        return useSink;
    }

    /** The configured server, when it is the one in use. */
    public Optional<SmtpSettings> custom() {
        return useSink ? Optional.empty() : saved;
    }

    /** The configured server, whether or not it is in use, so the form can show it. */
    public Optional<SmtpSettings> saved() {
        return saved;
    }

    public Optional<SmtpSettings> builtInSink() {
        return builtInSink.get();
    }

    /** Where the password is kept, in words for the settings screen. */
    public String secretsDescription() {
        return secrets.describe();
    }

    /** Delivers to the built-in sink; the other server's settings are kept for later. */
    public void useBuiltInSink() throws SQLException {
        settings.put(SERVER, "sink");
        useSink = true;
    }

    public void useServer(SmtpSettings server) throws SQLException, SecretsException {
        if (server.password().isEmpty()) {
            secrets.delete(PASSWORD);
        } else {
            secrets.put(PASSWORD, server.password());
        }
        Map<String, String> values = new HashMap<>();
        values.put(SERVER, "custom");
        values.put(HOST, server.host());
        values.put(PORT, Integer.toString(server.port()));
        values.put(SECURITY, server.security().name());
        values.put(USERNAME, server.username());
        values.put(STORED_CONNECT_TIMEOUT, Long.toString(server.connectTimeout().toMillis()));
        values.put(STORED_READ_TIMEOUT, Long.toString(server.readTimeout().toMillis()));
        values.put(STORED_WRITE_TIMEOUT, Long.toString(server.writeTimeout().toMillis()));
        values.put(TRUST_FINGERPRINT, server.trustedFingerprint());
        settings.putAll(values);
        saved = Optional.of(server);
        useSink = false;
    }

    private static Optional<SmtpSettings> read(Map<String, String> values, String password) {
        if (!values.containsKey(HOST)) {
            return Optional.empty();
        }
        return Optional.of(new SmtpSettings(
                values.get(HOST),
                Integer.parseInt(values.getOrDefault(PORT, "587")),
                SmtpSecurity.valueOf(values.getOrDefault(SECURITY, SmtpSecurity.STARTTLS.name())),
                values.get(USERNAME),
                password,
                millis(values.get(STORED_CONNECT_TIMEOUT)),
                millis(values.get(STORED_READ_TIMEOUT)),
                millis(values.get(STORED_WRITE_TIMEOUT)),
                values.getOrDefault(TRUST_FINGERPRINT, "")));
    }

    private static Duration millis(String value) {
        return value == null ? null : Duration.ofMillis(Long.parseLong(value));
    }
}
