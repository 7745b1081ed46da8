package dev.jobdeck.core.settings;

import dev.jobdeck.core.store.Settings;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long succeeded jobs, their e-mails, attempts and attachments are kept (decision 26), kept in the store so the
 * console and every worker agree. JobRunr's own {@code deleteSucceededJobsAfter} is set to the same period.
 *
 * @param succeeded from 1 minute to 3650 days; JobRunr's default, 36 hours, unless changed
 */
public record RetentionPeriod(Duration succeeded) {

    public static final String SUCCEEDED = "retention.succeeded";
    static final String PREFIX = "retention.";
    public static final Duration MINIMUM = Duration.ofMinutes(1);
    /** JobRunr stores the period as text in a 32-character column and subtracts it from now: ten years is safe. */
    public static final Duration MAXIMUM = Duration.ofDays(3650);
    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})\\s*(m|min|h|d)");

    public static RetentionPeriod defaults() {
        return new RetentionPeriod(Duration.ofHours(36));
    }

    public RetentionPeriod {
        if (succeeded.compareTo(MINIMUM) < 0 || succeeded.compareTo(MAXIMUM) > 0) {
            throw new IllegalArgumentException("The retention of succeeded jobs must be from 1m to 3650d, was "
                    + text(succeeded) + ".");
        }
    }

    /** Parses what was typed on the Settings screen or given to {@code config set}, with one sentence when refused. */
    public static RetentionPeriod parse(String text) {
        String typed = text == null ? "" : text.strip();
        Matcher matcher = TEXT.matcher(typed.toLowerCase(Locale.ROOT));
        Duration period = null;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            period = switch (matcher.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
        if (period == null || period.compareTo(MINIMUM) < 0 || period.compareTo(MAXIMUM) > 0) {
            throw new IllegalArgumentException("Keep succeeded jobs for a period from 1m to 3650d, written like 90m, 36h"
                    + " or 7d; '" + typed + "' is not one.");
        }
        return new RetentionPeriod(period);
    }

    /** The period as {@link #parse} reads it: whole days, else whole hours, else minutes. */
    public static String text(Duration period) {
        if (period.toMinutes() % (24 * 60) == 0 && period.toDays() > 0) {
            return period.toDays() + "d";
        }
        if (period.toMinutes() % 60 == 0 && period.toHours() > 0) {
            return period.toHours() + "h";
        }
        return period.toMinutes() + "m";
    }

    public String succeededText() {
        return text(succeeded);
    }

    /** How the period is kept in the store: the one key under {@code retention.}. */
    public static final SettingsGroup<RetentionPeriod> STORED = new SettingsGroup<>() {
        @Override
        public String prefix() {
            return PREFIX;
        }

        @Override
        public RetentionPeriod defaults() {
            return RetentionPeriod.defaults();
        }

        @Override
        public RetentionPeriod fromTexts(Map<String, String> values) {
            return Optional.ofNullable(values.get(SUCCEEDED)).map(RetentionPeriod::parse).orElse(defaults());
        }

        @Override
        public Map<String, String> toTexts(RetentionPeriod period) {
            return Map.of(SUCCEEDED, period.succeededText());
        }
    };

    public static RetentionPeriod load(Settings settings) throws SQLException {
        return STORED.load(settings);
    }

    public void save(Settings settings) throws SQLException {
        STORED.save(settings, this);
    }
}
