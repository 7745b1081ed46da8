package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.Incident;

import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the Hosts screen and the survival report write kinds, states, figures, times and durations. */
public final class HostTexts {

    /** Milliseconds matter when the point is how fast jobs ran again. */
    private static final DateTimeFormatter PRECISE = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final DateTimeFormatter WITH_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private HostTexts() {
    }

    public static String kind(HostRecord.Kind kind) {
        if (kind == null) {
            return "";
        }
        return switch (kind) {
            case CONSOLE -> "Console";
            case WORKER -> "JobRunr worker";
            case IN_MEMORY -> "In-memory queue";
        };
    }

    public static String state(HostStatus.State state) {
        if (state == null) {
            return "";
        }
        return switch (state) {
            case STARTING -> "Starting";
            case RUNNING -> "Running";
            case DRAINING -> "Draining";
            case STOPPED -> "Stopped";
            case DEAD -> "Dead";
        };
    }

    public static String action(Incident.Action action) {
        if (action == null) {
            return "";
        }
        return switch (action) {
            case CRASH -> "Crash (kill -9)";
            case RECYCLE -> "Recycle";
            case RESTART -> "Restart";
            case DIED -> "Died";
            case CONSOLE_CRASH -> "Console crashed";
        };
    }

    public static String number(long value) {
        return NumberFormat.getIntegerInstance().format(value);
    }

    public static String cpu(Double percent) {
        return percent == null ? "" : String.format(Locale.ROOT, "%.1f %%", percent);
    }

    public static String memory(Long bytes) {
        return bytes == null ? "" : number(Math.round(bytes / (1024.0 * 1024.0))) + " MB";
    }

    /** {@code 7.3 s}, {@code 850 ms}, {@code 2 min 05 s}: short, and exact enough to compare with a poll interval. */
    public static String duration(Duration duration) {
        if (duration == null) {
            return "";
        }
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    /** A whole number of seconds as the operator typed it: {@code 5 s}, {@code 30 s}. */
    public static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    /** Time of day with milliseconds, in {@code zone}; the date only when it is not today. */
    public static String precise(Instant time, ZoneId zone, Instant now) {
        if (time == null) {
            return "";
        }
        boolean today = time.atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate());
        return today ? PRECISE.format(time.atZone(zone)) : WITH_DATE.format(time.atZone(zone));
    }

    /** How long after the incident the console handed the jobs back; JobRunr's own detection when it never did. */
    public static String detectedAfter(SurvivalReport.IncidentReport incident) {
        if (incident.detectedAt() == null) {
            return "left to JobRunr";
        }
        return number(Math.max(0, Duration.between(incident.happenedAt(), incident.detectedAt()).toMillis())) + " ms";
    }

    /** When every job in flight had finished; what is still missing otherwise. */
    public static String allDoneAfter(SurvivalReport.IncidentReport incident) {
        if (incident.jobs().isEmpty()) {
            return "none in flight";
        }
        if (incident.allDoneAfter() != null) {
            return duration(incident.allDoneAfter());
        }
        long done = incident.jobs().stream().filter(fate -> fate.finishedAt() != null).count();
        return done + " of " + incident.jobs().size() + " done so far";
    }

    public static String jobs(long count) {
        return number(count) + (count == 1 ? " job" : " jobs");
    }

    public static String emails(long count) {
        return number(count) + (count == 1 ? " e-mail" : " e-mails");
    }

    /** Where a host runs: "vm (127.0.0.1)", the machine or the address alone when only one is known, else empty. */
    static String machine(String machine, String address) {
        boolean named = machine != null && !machine.isBlank();
        boolean addressed = address != null && !address.isBlank();
        if (named && addressed) {
            return machine + " (" + address + ")";
        }
        return named ? machine : addressed ? address : "";
    }
}
