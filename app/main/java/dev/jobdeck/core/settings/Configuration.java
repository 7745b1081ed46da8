package dev.jobdeck.core.settings;

import dev.jobdeck.core.mail.CertificateFingerprint;
import dev.jobdeck.core.mail.HeaderText;
import dev.jobdeck.core.mail.HostNames;
import dev.jobdeck.core.mail.SmtpSecurity;
import dev.jobdeck.core.settings.Secrets.SecretsException;
import dev.jobdeck.core.store.Settings;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every setting of the Settings screen by name, for {@code jobdeck config}: read, validated with the
 * same rules as the screen, and written where the console reads them at its next start. Secrets go to
 * {@link Secrets}, everything else to {@code jd_setting}.
 */
public final class Configuration {

    /** One setting as scripts name it. */
    public record Key(String name, String description, boolean secret) {
    }

    public static final String SERVER = "smtp.server";
    public static final String HOST = "smtp.host";
    public static final String PORT = "smtp.port";
    public static final String SECURITY = "smtp.security";
    public static final String USERNAME = "smtp.username";
    public static final String PASSWORD = "smtp.password";
    public static final String CONNECT_TIMEOUT = "smtp.connectTimeout";
    public static final String READ_TIMEOUT = "smtp.readTimeout";
    public static final String TRUST_FINGERPRINT = "smtp.trustFingerprint";
    public static final String SINK_PORT = BuiltInSink.PORT_KEY;

    // Where each value lives in jd_setting; the timeouts are kept in milliseconds, as before.
    static final String STORED_CONNECT_TIMEOUT = "smtp.connectTimeoutMs";
    static final String STORED_READ_TIMEOUT = "smtp.readTimeoutMs";
    static final String STORED_WRITE_TIMEOUT = "smtp.writeTimeoutMs";
    static final int MAX_TIMEOUT_SECONDS = 3600;

    public static final List<Key> KEYS = List.of(
            new Key(SERVER, "where jobs deliver: 'sink' (the built-in SMTP sink) or 'custom' (the server below)", false),
            new Key(HOST, "SMTP server host name or IP address", false),
            new Key(PORT, "SMTP server port, 1-65535 (usually 25, 465 or 587)", false),
            new Key(SECURITY, "'none', 'starttls' or 'ssl' (TLS from the start)", false),
            new Key(USERNAME, "user name for AUTH PLAIN/LOGIN; empty for no authentication", false),
            new Key(PASSWORD, "password for AUTH; secret: set it with --password-stdin", true),
            new Key(CONNECT_TIMEOUT, "seconds to wait for a connection, 1-" + MAX_TIMEOUT_SECONDS, false),
            new Key(READ_TIMEOUT, "seconds to wait for each reply, 1-" + MAX_TIMEOUT_SECONDS, false),
            new Key(TRUST_FINGERPRINT, "SHA-256 fingerprint of the one certificate to trust instead of the system's"
                    + " authorities (e.g. a self-signed one); empty for none", false),
            new Key(SINK_PORT, "port of the built-in SMTP sink on 127.0.0.1, 1-65535 (applies at the next start)", false),
            new Key(RetryPolicy.KEY_MAX_RETRIES, "how many times a deferred e-mail is tried again before it bounces, 0-"
                    + RetryPolicy.MAX_RETRIES, false),
            new Key(RetryPolicy.KEY_FIRST_DELAY, "seconds before the first retry (1 s to 7 days)", false),
            new Key(RetryPolicy.KEY_BACKOFF_FACTOR, "each further retry waits this many times longer, 1-"
                    + (int) RetryPolicy.MAX_BACKOFF_FACTOR + " (e.g. 2 or 1.5)", false),
            new Key(RetryPolicy.KEY_MAX_DELAY, "longest wait between two attempts, in seconds (at most 30 days)", false),
            new Key(RetryPolicy.KEY_RULES, "which refusals retry and which bounce, by reply code or enhanced status,"
                    + " e.g. '4xx retry; 5.2.2 retry; 5xx bounce' (most specific wins)", false),
            new Key(DeliverySettings.BATCH_SIZE, "the most recipients of one list a bulk job delivers over one connection (jobs get"
                    + " shorter towards the list's end), 1-" + DeliverySettings.MAX_BATCH_SIZE + " (1: one job per e-mail)", false),
            new Key(DeliverySettings.MAX_CONNECTIONS, "connections open at once to the SMTP server, across all hosts;"
                    + " 0 for no limit", false),
            new Key(DeliverySettings.MAX_PER_SECOND, "messages per second to the SMTP server, across all hosts;"
                    + " 0 for no limit", false),
            new Key(RetentionPeriod.SUCCEEDED, "how long succeeded jobs and their e-mails, attempts and attachments are"
                    + " kept, e.g. 36h or 7d (1m to 3650d); the survival report keeps their totals", false));

    private static final Map<String, String> DEFAULTS = Map.of(
            SERVER, "sink", PORT, "587", SECURITY, "starttls", CONNECT_TIMEOUT, "10", READ_TIMEOUT, "30",
            DeliverySettings.BATCH_SIZE, Integer.toString(DeliverySettings.defaults().batchSize()),
            DeliverySettings.MAX_CONNECTIONS, Integer.toString(DeliverySettings.defaults().maxConnections()),
            DeliverySettings.MAX_PER_SECOND, Integer.toString(DeliverySettings.defaults().maxPerSecond()),
            RetentionPeriod.SUCCEEDED, RetentionPeriod.defaults().succeededText());

    private final Settings settings;
    private final Secrets secrets;

    public Configuration(Settings settings, Secrets secrets) {
        this.settings = settings;
        this.secrets = secrets;
    }

    public static Optional<Key> key(String name) {
        return KEYS.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** Every setting and its value as {@link #get} shows it, in the order of {@link #KEYS}. */
    public Map<String, String> list() throws SQLException, SecretsException {
        Map<String, String> stored = stored();
        Map<String, String> out = new LinkedHashMap<>();
        for (Key key : KEYS) {
            out.put(key.name(), show(key, stored));
        }
        return out;
    }

    /**
     * The value of {@code name}: what is stored, else its default. A secret is never shown: only
     * whether it is set and where.
     */
    public String get(String name) throws SQLException, SecretsException {
        return show(require(name), stored());
    }

    /**
     * Validates and stores one value; nothing is stored when it is refused.
     *
     * @throws IllegalArgumentException with a sentence for the operator when the key or value is not valid
     */
    public void set(String name, String value) throws SQLException {
        Key key = require(name);
        if (key.secret()) {
            throw new IllegalArgumentException(name + " is a secret: pass it on standard input with --password-stdin,"
                    + " so it stays out of shell history and the process list.");
        }
        String text = value == null ? "" : value.strip();
        Map<String, String> stored = stored();
        Map<String, String> change = new HashMap<>();
        switch (name) {
            case SERVER -> {
                String choice = text.toLowerCase(Locale.ROOT);
                if (!choice.equals("sink") && !choice.equals("custom")) {
                    throw new IllegalArgumentException(SERVER + " must be 'sink' or 'custom', was '" + text + "'.");
                }
                if (choice.equals("custom") && stored.getOrDefault(HOST, "").isEmpty()) {
                    throw new IllegalArgumentException("Set " + HOST + " before choosing " + SERVER + " custom.");
                }
                change.put(SERVER, choice);
                if (choice.equals("custom")) {
                    // A server set up only through 'config' gets the screen's defaults for what was not set.
                    change.putIfAbsent(PORT, stored.getOrDefault(PORT, DEFAULTS.get(PORT)));
                    change.putIfAbsent(SECURITY, stored.getOrDefault(SECURITY, SmtpSecurity.STARTTLS.name()));
                }
            }
            case HOST -> {
                change.put(HOST, validHost(text));
            }
            case PORT -> change.put(PORT, Integer.toString(validPort(PORT, text)));
            case SECURITY -> change.put(SECURITY, validSecurity(text).name());
            case USERNAME -> change.put(USERNAME, validUsername(value));
            case CONNECT_TIMEOUT -> change.put(STORED_CONNECT_TIMEOUT, Long.toString(validSeconds(CONNECT_TIMEOUT, text) * 1000L));
            case READ_TIMEOUT -> change.put(STORED_READ_TIMEOUT, Long.toString(validSeconds(READ_TIMEOUT, text) * 1000L));
            case TRUST_FINGERPRINT -> change.put(TRUST_FINGERPRINT, CertificateFingerprint.normalize(text));
            case SINK_PORT -> change.put(SINK_PORT, Integer.toString(validPort(SINK_PORT, text)));
            case RetryPolicy.KEY_MAX_RETRIES, RetryPolicy.KEY_FIRST_DELAY, RetryPolicy.KEY_BACKOFF_FACTOR,
                 RetryPolicy.KEY_MAX_DELAY, RetryPolicy.KEY_RULES -> {
                setRetry(name, text);
                return;
            }
            case DeliverySettings.BATCH_SIZE, DeliverySettings.MAX_CONNECTIONS, DeliverySettings.MAX_PER_SECOND -> {
                // Not an SMTP server setting: leave the server choice as it is.
                settings.put(name, Integer.toString(DeliverySettings.parse(name, text)));
                return;
            }
            case RetentionPeriod.SUCCEEDED -> {
                RetentionPeriod.parse(text).save(settings);
                return;
            }
            default -> throw new IllegalStateException("no rule for " + name);
        }
        if (!stored.containsKey(SERVER) && !name.equals(SERVER)) {
            // Pin down today's choice first: older databases derive it from whether a host is saved,
            // so setting a host must not silently move delivery away from the sink.
            change.put(SERVER, serverChoice(stored));
        }
        settings.putAll(change);
    }

    /** Checks the whole policy with the one value changed, so that no combination the screen refuses gets stored. */
    private void setRetry(String name, String text) throws SQLException {
        RetryPolicy now = RetryPolicy.load(settings);
        RetryPolicy changed;
        try {
            changed = switch (name) {
                case RetryPolicy.KEY_MAX_RETRIES -> new RetryPolicy(requireWhole(name, text), now.firstDelay(),
                        now.backoffFactor(), now.maxDelay(), now.rules());
                case RetryPolicy.KEY_FIRST_DELAY -> new RetryPolicy(now.maxRetries(),
                        java.time.Duration.ofSeconds(requireWhole(name, text)), now.backoffFactor(), now.maxDelay(), now.rules());
                case RetryPolicy.KEY_BACKOFF_FACTOR -> new RetryPolicy(now.maxRetries(), now.firstDelay(),
                        requireFactor(text), now.maxDelay(), now.rules());
                case RetryPolicy.KEY_MAX_DELAY -> new RetryPolicy(now.maxRetries(), now.firstDelay(), now.backoffFactor(),
                        java.time.Duration.ofSeconds(requireWhole(name, text)), now.rules());
                default -> new RetryPolicy(now.maxRetries(), now.firstDelay(), now.backoffFactor(), now.maxDelay(),
                        RetryPolicy.parseRules(text));
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
        changed.save(settings);
    }

    private static int requireWhole(String name, String text) {
        Integer value = wholeNumber(text);
        if (value == null) {
            throw new IllegalArgumentException("must be a whole number, was '" + text + "'.");
        }
        return value;
    }

    private static double requireFactor(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number such as 2 or 1.5, was '" + text + "'.");
        }
    }

    /** Stores a secret; an empty one removes it. */
    public void setSecret(String name, String secret) throws SecretsException {
        Key key = require(name);
        if (!key.secret()) {
            throw new IllegalArgumentException(name + " is not a secret; give its value as an argument.");
        }
        if (secret == null || secret.isEmpty()) {
            secrets.delete(name);
        } else {
            if (HeaderText.containsLineBreak(secret)) {
                throw new IllegalArgumentException("The password must be one line.");
            }
            secrets.put(name, secret);
        }
    }

    public String secretsDescription() {
        return secrets.describe();
    }

    /** The key called {@code name}, or an exception whose message lists the known keys. */
    public static Key requireKey(String name) {
        return require(name);
    }

    private static Key require(String name) {
        return key(name).orElseThrow(() -> new IllegalArgumentException("Unknown setting '" + name + "'. Known settings: "
                + KEYS.stream().map(Key::name).collect(Collectors.joining(", ")) + "."));
    }

    private Map<String, String> stored() throws SQLException {
        Map<String, String> all = new HashMap<>(settings.readAll("smtp."));
        settings.get(SINK_PORT).ifPresent(port -> all.put(SINK_PORT, port));
        RetryPolicy retry = RetryPolicy.load(settings);
        all.put(RetryPolicy.KEY_MAX_RETRIES, Integer.toString(retry.maxRetries()));
        all.put(RetryPolicy.KEY_FIRST_DELAY, Long.toString(retry.firstDelay().toSeconds()));
        all.put(RetryPolicy.KEY_BACKOFF_FACTOR, RetryPolicy.factorText(retry.backoffFactor()));
        all.put(RetryPolicy.KEY_MAX_DELAY, Long.toString(retry.maxDelay().toSeconds()));
        all.put(RetryPolicy.KEY_RULES, retry.rulesText().replace("\n", "; "));
        all.putAll(settings.readAll(DeliverySettings.PREFIX));
        all.put(RetentionPeriod.SUCCEEDED, RetentionPeriod.load(settings).succeededText());
        return all;
    }

    private String show(Key key, Map<String, String> stored) throws SecretsException {
        return switch (key.name()) {
            case PASSWORD -> secrets.get(PASSWORD).isPresent() ? "(set; kept in " + secrets.describe() + ")" : "(not set)";
            case SERVER -> serverChoice(stored);
            case SECURITY -> Optional.ofNullable(stored.get(SECURITY)).map(s -> s.toLowerCase(Locale.ROOT))
                    .orElse(DEFAULTS.get(SECURITY));
            case CONNECT_TIMEOUT -> seconds(stored.get(STORED_CONNECT_TIMEOUT), CONNECT_TIMEOUT);
            case READ_TIMEOUT -> seconds(stored.get(STORED_READ_TIMEOUT), READ_TIMEOUT);
            case SINK_PORT -> stored.getOrDefault(SINK_PORT, "(a free port, chosen at the first start)");
            default -> stored.getOrDefault(key.name(), DEFAULTS.getOrDefault(key.name(), ""));
        };
    }

    private static String seconds(String millis, String key) {
        return millis == null ? DEFAULTS.get(key) : Long.toString(Long.parseLong(millis) / 1000);
    }

    /** "custom" when chosen, or (databases from before the choice was stored) when a host is saved. */
    static String serverChoice(Map<String, String> stored) {
        String choice = stored.get(SERVER);
        if (choice != null) {
            return choice;
        }
        return stored.containsKey(HOST) ? "custom" : "sink";
    }

    // Validation shared with the Settings screen, one sentence per problem.

    public static String validHost(String text) {
        String host = text == null ? "" : text.strip();
        if (HeaderText.containsLineBreak(text)) {
            throw new IllegalArgumentException("The host " + HeaderText.LINE_BREAK_MESSAGE + ".");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("Enter the SMTP server's host name or IP address.");
        }
        if (host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("The host must not contain spaces.");
        }
        HeaderText.controlCharacterProblem(host).ifPresent(problem -> {
            throw new IllegalArgumentException("The host " + problem + ".");
        });
        HostNames.problem(host).ifPresent(problem -> {
            throw new IllegalArgumentException("The host " + problem + " (DNS limits).");
        });
        return host;
    }

    /** SASL PLAIN (RFC 4616) carries a user name of at most 255 octets; JobDeck counts characters, the stricter ASCII case. */
    public static final int MAX_USERNAME = 255;

    /** The user name as stored (stripped); empty for no AUTH. */
    public static String validUsername(String text) {
        String username = text == null ? "" : text.strip();
        HeaderText.problem(text == null ? "" : text).ifPresent(problem -> {
            throw new IllegalArgumentException("The username " + problem + ".");
        });
        if (username.length() > MAX_USERNAME) {
            throw new IllegalArgumentException("The username is " + username.length() + " characters long; at most "
                    + MAX_USERNAME + " are allowed.");
        }
        return username;
    }

    public static int validPort(String name, String text) {
        Integer port = wholeNumber(text);
        if (port == null || port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a whole number from 1 to 65535, was '" + text + "'.");
        }
        return port;
    }

    public static int validSeconds(String name, String text) {
        Integer seconds = wholeNumber(text);
        if (seconds == null || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException(name + " must be whole seconds from 1 to " + MAX_TIMEOUT_SECONDS
                    + ", was '" + text + "'.");
        }
        return seconds;
    }

    public static SmtpSecurity validSecurity(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "none" -> SmtpSecurity.NONE;
            case "starttls" -> SmtpSecurity.STARTTLS;
            case "ssl", "tls" -> SmtpSecurity.SSL;
            default -> throw new IllegalArgumentException(SECURITY + " must be 'none', 'starttls' or 'ssl', was '" + text + "'.");
        };
    }

    static Integer wholeNumber(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty() || trimmed.length() > 9 || !trimmed.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(trimmed);
    }
}
