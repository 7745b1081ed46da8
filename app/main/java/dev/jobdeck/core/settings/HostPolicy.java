package dev.jobdeck.core.settings;

import dev.jobdeck.core.jobs.EngineSettings;
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

    public static HostPolicy defaults() {
        return new HostPolicy(EngineSettings.MINIMUM_POLL, EngineSettings.MINIMUM_MULTIPLICAND, Duration.ofSeconds(30), true);
    }

    public HostPolicy {
        if (pollInterval.compareTo(EngineSettings.MINIMUM_POLL) < 0) {
            throw new IllegalArgumentException("The poll interval must be at least 5 s (JobRunr's minimum).");
        }
        if (timeoutMultiplicand < EngineSettings.MINIMUM_MULTIPLICAND) {
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

    public static HostPolicy load(Settings settings) throws SQLException {
        Map<String, String> values = settings.readAll(PREFIX);
        HostPolicy defaults = defaults();
        try {
            return new HostPolicy(
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault(PREFIX + "pollSeconds",
                            Long.toString(defaults.pollInterval.toSeconds())))),
                    Integer.parseInt(values.getOrDefault(PREFIX + "timeoutMultiplicand",
                            Integer.toString(defaults.timeoutMultiplicand))),
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault(PREFIX + "recycleDeadlineSeconds",
                            Long.toString(defaults.recycleDeadline.toSeconds())))),
                    Boolean.parseBoolean(values.getOrDefault(PREFIX + "replaceDeadHosts", "true")));
        } catch (IllegalArgumentException e) {
            // A value edited by hand into nonsense: run with the defaults rather than refuse to start.
            return defaults;
        }
    }

    public void save(Settings settings) throws SQLException {
        settings.replaceAll(PREFIX, Map.of(
                PREFIX + "pollSeconds", Long.toString(pollInterval.toSeconds()),
                PREFIX + "timeoutMultiplicand", Integer.toString(timeoutMultiplicand),
                PREFIX + "recycleDeadlineSeconds", Long.toString(recycleDeadline.toSeconds()),
                PREFIX + "replaceDeadHosts", Boolean.toString(replaceDeadHosts)));
    }
}
