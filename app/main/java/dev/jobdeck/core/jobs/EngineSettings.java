package dev.jobdeck.core.jobs;

import dev.jobdeck.core.settings.HostPolicy;

import java.time.Duration;

/**
 * How a JobRunr server (the console's in-process host or a worker) runs. {@code stopGrace} is how long a
 * stopping server lets running jobs finish before interrupting them: short, because "Restart host" imitates
 * a recycle's hard end. {@code timeoutMultiplicand} is JobRunr's server-timeout multiplier: a server that
 * misses this many polls is declared dead and its jobs become orphans.
 */
public record EngineSettings(String hostName, Duration pollInterval, int workers, Duration stopGrace,
                             int timeoutMultiplicand) {

    public static final Duration MINIMUM_POLL = HostPolicy.MINIMUM_POLL;
    public static final int MINIMUM_MULTIPLICAND = HostPolicy.MINIMUM_MULTIPLICAND;

    public static EngineSettings defaults(String hostName) {
        return new EngineSettings(hostName, MINIMUM_POLL, 16, Duration.ofSeconds(1), MINIMUM_MULTIPLICAND);
    }

    public EngineSettings {
        if (pollInterval.compareTo(MINIMUM_POLL) < 0) {
            throw new IllegalArgumentException("JobRunr's poll interval cannot be below 5 s");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("a host needs at least one worker");
        }
        if (timeoutMultiplicand < MINIMUM_MULTIPLICAND) {
            throw new IllegalArgumentException("JobRunr's server timeout is at least 4 poll intervals");
        }
    }

    public EngineSettings withWorkers(int count) {
        return new EngineSettings(hostName, pollInterval, count, stopGrace, timeoutMultiplicand);
    }

    public EngineSettings withTiming(Duration poll, int multiplicand) {
        return new EngineSettings(hostName, poll, workers, stopGrace, multiplicand);
    }

    /** How long JobRunr alone takes to notice a dead server: its timeout plus up to one more poll to act. */
    public Duration orphanDetectionTime() {
        return pollInterval.multipliedBy(timeoutMultiplicand + 1L);
    }
}
