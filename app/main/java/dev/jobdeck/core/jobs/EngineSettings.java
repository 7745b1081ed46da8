package dev.jobdeck.core.jobs;

import java.time.Duration;

/**
 * How the in-process JobRunr server runs. {@code stopGrace} is how long a stopping server lets running
 * jobs finish before interrupting them: short, because "Restart host" imitates a recycle.
 */
public record EngineSettings(String hostName, Duration pollInterval, int workers, Duration stopGrace) {

    public static EngineSettings defaults(String hostName) {
        return new EngineSettings(hostName, Duration.ofSeconds(5), 16, Duration.ofSeconds(1));
    }

    public EngineSettings {
        if (pollInterval.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("JobRunr's poll interval cannot be below 5 s");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("a host needs at least one worker");
        }
    }
}
