package dev.jobdeck.core.jobs;

import java.time.Duration;
import java.time.LocalDateTime;

/** When a queued e-mail goes out: now, at a local date-time, after a delay, or on a cron schedule. */
public sealed interface When {

    record Now() implements When {
    }

    record At(LocalDateTime localTime) implements When {
    }

    record After(Duration delay) implements When {
    }

    record Cron(String expression) implements When {
    }

    static When now() {
        return new Now();
    }
}
