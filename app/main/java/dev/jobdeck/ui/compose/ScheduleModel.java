package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.CronSchedule;
import dev.jobdeck.core.jobs.When;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The Compose screen's "Send" choice: now, at a date and time, after a delay, or on a cron schedule, and the
 * next run a cron expression gives while it is typed.
 */
public final class ScheduleModel {

    static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter TYPED_TIME = DateTimeFormatter.ofPattern("H:mm");

    /** How the operator wants the e-mails timed. */
    public enum Schedule {
        NOW("Now"), AT("At a date and time"), AFTER("After a delay"), CRON("On a cron schedule");

        private final String label;

        Schedule(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public enum DelayUnit {
        MINUTES("minutes", ChronoUnit.MINUTES), HOURS("hours", ChronoUnit.HOURS), DAYS("days", ChronoUnit.DAYS);

        private final String label;
        private final ChronoUnit unit;

        DelayUnit(String label, ChronoUnit unit) {
            this.label = label;
            this.unit = unit;
        }

        public String label() {
            return label;
        }

        Duration times(long amount) {
            return unit.getDuration().multipliedBy(amount);
        }
    }

    /**
     * When the form asks for, and the problem to show instead of the queue's when the date or time could not
     * be read (the queue then refuses an {@code At} without a time).
     */
    record Timing(Schedule kind, When when, Optional<String> problem) {
    }

    private final Clock clock;

    // Properties: the inputs, bound both ways by the view
    private final ObjectProperty<Schedule> schedule = new SimpleObjectProperty<>(Schedule.NOW);
    private final ObjectProperty<LocalDate> atDate = new SimpleObjectProperty<>();
    private final StringProperty atTime = new SimpleStringProperty("09:00");
    private final ObjectProperty<Integer> delayAmount = new SimpleObjectProperty<>(10);
    private final ObjectProperty<DelayUnit> delayUnit = new SimpleObjectProperty<>(DelayUnit.MINUTES);
    private final StringProperty cron = new SimpleStringProperty("");

    // Properties: derived state, read-only to the view
    private final ReadOnlyStringWrapper cronNextRun = new ReadOnlyStringWrapper("");

    ScheduleModel(Clock clock) {
        this.clock = clock;
        atDate.set(LocalDate.now(clock).plusDays(1));
        cron.addListener((obs, old, text) -> cronNextRun.set(nextRunHint(text)));
    }

    // Commands

    /** The timing the inputs ask for, read when Queue is clicked. */
    Timing timing() {
        Optional<String> problem = Optional.empty();
        When when;
        switch (schedule.get()) {
            case AT -> {
                LocalTime time = parseTime(atTime.get());
                if (atDate.get() == null || time == null) {
                    problem = Optional.of(atDate.get() == null
                            ? "Pick the date to send on."
                            : "Enter the time as HH:mm, for example 09:00.");
                    when = new When.At(null);
                } else {
                    when = new When.At(LocalDateTime.of(atDate.get(), time));
                }
            }
            case AFTER -> when = new When.After(delayAmount.get() == null
                    ? Duration.ZERO : delayUnit.get().times(delayAmount.get()));
            case CRON -> when = new When.Cron(cron.get());
            default -> when = When.now();
        }
        return new Timing(schedule.get(), when, problem);
    }

    /** Back to "Now", with no cron expression; the date, time and delay stay as typed. */
    void clear() {
        schedule.set(Schedule.NOW);
        cron.set("");
    }

    /** The inputs whose edits clear the schedule's problem. */
    List<ObservableValue<?>> inputs() {
        return List.of(schedule, atDate, atTime, delayAmount, delayUnit, cron);
    }

    String shown(Instant instant) {
        return SHOWN_TIME.format(instant.atZone(clock.getZone()));
    }

    private static LocalTime parseTime(String text) {
        try {
            return text == null ? null : LocalTime.parse(text.strip(), TYPED_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String nextRunHint(String expression) {
        String trimmed = expression == null ? "" : expression.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        Instant now = clock.instant();
        return CronSchedule.next(trimmed, now, clock.getZone()).map(next -> "Next run: " + shown(next))
                // Half-typed expressions are normal while typing; the send reports the real problem.
                .orElse("Not a complete cron expression yet");
    }

    // Property accessors

    public ObjectProperty<Schedule> scheduleProperty() {
        return schedule;
    }

    public ObjectProperty<LocalDate> atDateProperty() {
        return atDate;
    }

    public StringProperty atTimeProperty() {
        return atTime;
    }

    public ObjectProperty<Integer> delayAmountProperty() {
        return delayAmount;
    }

    public ObjectProperty<DelayUnit> delayUnitProperty() {
        return delayUnit;
    }

    public StringProperty cronProperty() {
        return cron;
    }

    public ReadOnlyStringProperty cronNextRunProperty() {
        return cronNextRun.getReadOnlyProperty();
    }
}
