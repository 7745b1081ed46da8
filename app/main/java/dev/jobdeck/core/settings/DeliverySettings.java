package dev.jobdeck.core.settings;

import dev.jobdeck.core.store.Settings;

import java.sql.SQLException;
import java.util.Map;

/**
 * How e-mails are handed to the SMTP server, kept in the store so the console and every worker agree (decision 10).
 *
 * @param batchSize      at most this many recipients of one list share a bulk job and its connection; 1 turns bulk
 *                       jobs off (one job per e-mail)
 * @param maxConnections connections open at once to one SMTP server, across all hosts; 0 for no limit
 * @param maxPerSecond   messages per second to one SMTP server, across all hosts; 0 for no limit
 */
public record DeliverySettings(int batchSize, int maxConnections, int maxPerSecond) {

    public static final String BATCH_SIZE = "delivery.batchSize";
    public static final String MAX_CONNECTIONS = "delivery.maxConnections";
    public static final String MAX_PER_SECOND = "delivery.maxPerSecond";
    static final String PREFIX = "delivery.";
    public static final int MAX_BATCH_SIZE = 500;
    public static final int MAX_CONNECTIONS_LIMIT = 1000;
    public static final int MAX_RATE = 100_000;

    public static DeliverySettings defaults() {
        return new DeliverySettings(200, 0, 0);
    }

    public DeliverySettings {
        check(BATCH_SIZE, batchSize, 1, MAX_BATCH_SIZE);
        check(MAX_CONNECTIONS, maxConnections, 0, MAX_CONNECTIONS_LIMIT);
        check(MAX_PER_SECOND, maxPerSecond, 0, MAX_RATE);
    }

    /** Parses one value typed on the Settings screen or given to {@code config set}, with the screen's sentence when refused. */
    public static int parse(String key, String text) {
        Integer value = Configuration.wholeNumber(text);
        int min = key.equals(BATCH_SIZE) ? 1 : 0;
        int max = switch (key) {
            case BATCH_SIZE -> MAX_BATCH_SIZE;
            case MAX_CONNECTIONS -> MAX_CONNECTIONS_LIMIT;
            default -> MAX_RATE;
        };
        if (value == null || value < min || value > max) {
            throw new IllegalArgumentException(describe(key) + " must be a whole number from " + min + " to " + max
                    + (min == 0 ? " (0 for no limit)" : "") + ", was '" + text + "'.");
        }
        return value;
    }

    private static void check(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(describe(key) + " must be from " + min + " to " + max + ", was " + value + ".");
        }
    }

    private static String describe(String key) {
        return switch (key) {
            case BATCH_SIZE -> "The bulk size";
            case MAX_CONNECTIONS -> "The connection limit";
            default -> "The message rate";
        };
    }

    /** How the settings are kept in the store: the keys under {@code delivery.}. */
    public static final SettingsGroup<DeliverySettings> STORED = new SettingsGroup<>() {
        @Override
        public String prefix() {
            return PREFIX;
        }

        @Override
        public DeliverySettings defaults() {
            return DeliverySettings.defaults();
        }

        @Override
        public DeliverySettings fromTexts(Map<String, String> values) {
            DeliverySettings defaults = defaults();
            return new DeliverySettings(
                    Integer.parseInt(values.getOrDefault(BATCH_SIZE, Integer.toString(defaults.batchSize))),
                    Integer.parseInt(values.getOrDefault(MAX_CONNECTIONS, Integer.toString(defaults.maxConnections))),
                    Integer.parseInt(values.getOrDefault(MAX_PER_SECOND, Integer.toString(defaults.maxPerSecond))));
        }

        @Override
        public Map<String, String> toTexts(DeliverySettings delivery) {
            return Map.of(
                    BATCH_SIZE, Integer.toString(delivery.batchSize),
                    MAX_CONNECTIONS, Integer.toString(delivery.maxConnections),
                    MAX_PER_SECOND, Integer.toString(delivery.maxPerSecond));
        }
    };

    public static DeliverySettings load(Settings settings) throws SQLException {
        return STORED.load(settings);
    }

    public void save(Settings settings) throws SQLException {
        STORED.save(settings, this);
    }
}
