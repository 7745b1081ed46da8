package dev.jobdeck.ui.fx;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the Jobs screen writes times: exact local time in cells, relative time in tooltips. */
public final class JobTimes {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss");

    private JobTimes() {
    }

    /** {@code 2024-05-01 14:03:07} in {@code zone}; empty for a time that is not known. */
    public static String exact(Instant time, ZoneId zone) {
        return time == null ? "" : EXACT.format(time.atZone(zone));
    }

    /** {@code 05-01 14:03:07}: exact to the second for a table cell; the year is in the tooltip. */
    public static String compact(Instant time, ZoneId zone) {
        return time == null ? "" : COMPACT.format(time.atZone(zone));
    }

    /** {@code 3 min ago}, {@code in 2 h}: rough on purpose, the cell shows the exact time. */
    public static String relative(Instant time, Instant now) {
        if (time == null) {
            return "";
        }
        Duration between = Duration.between(time, now);
        boolean future = between.isNegative();
        long seconds = Math.abs(between.getSeconds());
        String amount;
        if (seconds < 5) {
            return "just now";
        } else if (seconds < 60) {
            amount = seconds + " s";
        } else if (seconds < 3600) {
            amount = seconds / 60 + " min";
        } else if (seconds < 86_400) {
            amount = seconds / 3600 + " h";
        } else {
            long days = seconds / 86_400;
            amount = days + (days == 1 ? " day" : " days");
        }
        return future ? "in " + amount : amount + " ago";
    }
}
