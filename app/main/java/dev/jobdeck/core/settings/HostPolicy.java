package dev.jobdeck.core.settings;

import dev.jobdeck.core.store.Settings;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * How hosts are run and replaced, kept in the store so the console and every worker agree: JobRunr's poll
 * interval and server-timeout multiplicand (together they set how long a dead host's jobs wait when nobody saw
 * it die), the recycle deadline (30 s by default, as IIS gives a recycling app pool), and whether the console
 * starts a replacement when one of its hosts dies.
 */
public record HostPolicy(Duration pollInterval, int timeoutMultiplicand, Duration recycleDeadline,
                         boolean replaceDeadHosts) {

    private static final String PREFIX = "hosts.";
    /** JobRunr's shortest poll interval. */
    public static final Duration MINIMUM_POLL = Duration.ofSeconds(5);
    /** JobRunr's fewest missed polls before it declares a server dead. */
    public static final int MINIMUM_MULTIPLICAND = 4;

    public static HostPolicy defaults() {
        return new HostPolicy(MINIMUM_POLL, MINIMUM_MULTIPLICAND, Duration.ofSeconds(30), true);
    }

    public HostPolicy {
        if (pollInterval.compareTo(MINIMUM_POLL) < 0) {
            throw new IllegalArgumentException("The poll interval must be at least 5 s (JobRunr's minimum).");
        }
        if (timeoutMultiplicand < MINIMUM_MULTIPLICAND) {
            throw new IllegalArgumentException("The server timeout must be at least 4 poll intervals (JobRunr's minimum).");
        }
        if (recycleDeadline.isZero() || recycleDeadline.isNegative()) {
            throw new IllegalArgumentException("The recycle deadline must be more than 0 s.");
        }
    }

    /** JobRunr's own time to notice a dead host it was not told about: the timeout, plus up to one poll to act. */
    public Duration orphanDetectionTime() {
        return pollInterval.multipliedBy(timeoutMultiplicand + 1L);
    }

    /** How the policy is kept in the store: the keys under {@code hosts.}. */
    public static final SettingsGroup<HostPolicy> STORED = new SettingsGroup<>() {
        @Override
        public String prefix() {
            return PREFIX;
        }

        @Override
        public HostPolicy defaults() {
            return HostPolicy.defaults();
        }

        @Override
        public HostPolicy fromTexts(Map<String, String> values) {
            HostPolicy defaults = defaults();
            return new HostPolicy(
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault(PREFIX + "pollSeconds",
                            Long.toString(defaults.pollInterval.toSeconds())))),
                    Integer.parseInt(values.getOrDefault(PREFIX + "timeoutMultiplicand",
                            Integer.toString(defaults.timeoutMultiplicand))),
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault(PREFIX + "recycleDeadlineSeconds",
                            Long.toString(defaults.recycleDeadline.toSeconds())))),
                    Boolean.parseBoolean(values.getOrDefault(PREFIX + "replaceDeadHosts", "true")));
        }

        @Override
        public Map<String, String> toTexts(HostPolicy policy) {
            return Map.of(
                    PREFIX + "pollSeconds", Long.toString(policy.pollInterval.toSeconds()),
                    PREFIX + "timeoutMultiplicand", Integer.toString(policy.timeoutMultiplicand),
                    PREFIX + "recycleDeadlineSeconds", Long.toString(policy.recycleDeadline.toSeconds()),
                    PREFIX + "replaceDeadHosts", Boolean.toString(policy.replaceDeadHosts));
        }
    };

    public static HostPolicy load(Settings settings) throws SQLException {
        return STORED.load(settings);
    }

    public void save(Settings settings) throws SQLException {
        STORED.save(settings, this);
    }
}
