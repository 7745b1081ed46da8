package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as an operator types it, for the ends of a {@link JobFilter}'s time range: the Jobs screen's
 * since/until fields and {@code jobdeck jobs --since/--until}. Accepts an ISO instant or offset date-time
 * ({@code 2026-12-07T09:30:00Z}), a local date-time in the clock's zone ({@code 2026-12-07 09:30} or with a {@code T}),
 * a local date (its midnight), {@code now}, or an age: {@code 90s}, {@code 30m}, {@code 2h}, {@code 3d}, {@code 1w}
 * before now (an optional {@code ago} is allowed).
 */
public final class TimeInput {

    /** What every refusal says the field accepts. */
    public static final String ACCEPTED = "use a time such as 2026-12-07T09:30:00Z, 2026-12-07 09:30, 2026-12-07,"
            + " or an age such as 30m, 2h or 3d";

    private static final Pattern AGE = Pattern.compile("(\\d{1,9})\\s*([smhdw])(?:\\s+ago)?", Pattern.CASE_INSENSITIVE);
    private static final DateTimeFormatter LOCAL_WITH_SPACE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss]");

    private TimeInput() {
    }

    /** Blank is no bound; anything else must parse, or the message says what was typed and what works. */
    public static Optional<Instant> parse(String text, Clock clock) {
        String typed = text == null ? "" : text.strip();
        if (typed.isEmpty()) {
            return Optional.empty();
        }
        if (typed.equalsIgnoreCase("now")) {
            return Optional.of(clock.instant());
        }
        Matcher age = AGE.matcher(typed);
        if (age.matches()) {
            long amount = Long.parseLong(age.group(1));
            Duration unit = switch (age.group(2).toLowerCase(Locale.ROOT)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return Optional.of(clock.instant().minus(unit.multipliedBy(amount)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(typed).toInstant());
        } catch (DateTimeParseException notWithOffset) {
            // a local one, then
        }
        try {
            return Optional.of(LocalDateTime.parse(typed).atZone(clock.getZone()).toInstant());
        } catch (DateTimeParseException notIso) {
            // perhaps with a space
        }
        try {
            return Optional.of(LocalDateTime.parse(typed, LOCAL_WITH_SPACE).atZone(clock.getZone()).toInstant());
        } catch (DateTimeParseException notWithSpace) {
            // perhaps a date
        }
        try {
            return Optional.of(LocalDate.parse(typed).atStartOfDay(clock.getZone()).toInstant());
        } catch (DateTimeParseException notADate) {
            throw new IllegalArgumentException("\"" + shortened(typed) + "\" is not a time: " + ACCEPTED + ".");
        }
    }

    /**
     * The range from {@code since} to {@code until} (either blank for open) on {@code filter}, or the one sentence that
     * says why not: a part that does not parse, or a range that ends before it starts.
     */
    public static JobFilter range(JobFilter filter, String since, String until, Clock clock) {
        Optional<Instant> from;
        Optional<Instant> to;
        try {
            from = parse(since, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Since: " + e.getMessage(), e);
        }
        try {
            to = parse(until, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Until: " + e.getMessage(), e);
        }
        if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
            throw new IllegalArgumentException("The time range ends before it starts: until (" + until.strip()
                    + ") is not after since (" + since.strip() + ").");
        }
        return filter.withRange(from, to);
    }

    private static String shortened(String typed) {
        return typed.length() <= 40 ? typed : typed.substring(0, 40) + "\u2026";
    }
}
