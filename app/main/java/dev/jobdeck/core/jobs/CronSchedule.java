package dev.jobdeck.core.jobs;

import org.jobrunr.scheduling.cron.CronExpression;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A cron expression as the job engine reads it (JobRunr's five-field cron), for the send's check and the Compose
 * screen's "Next run" hint alike, so the two never disagree and the screen needs no engine type.
 */
public final class CronSchedule {

    private CronSchedule() {
    }

    /** The first run after {@code now} in {@code zone}; empty if {@code expression} is not a complete cron expression. */
    public static Optional<Instant> next(String expression, Instant now, ZoneId zone) {
        String trimmed = expression == null ? "" : expression.strip();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        try {
            CronExpression parsed = new CronExpression(trimmed);
            parsed.validate();
            return Optional.of(parsed.next(now, now, zone));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
