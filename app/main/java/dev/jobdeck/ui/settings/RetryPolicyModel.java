package dev.jobdeck.ui.settings;

import dev.jobdeck.core.settings.LiveSettings;
import dev.jobdeck.core.settings.RetryPolicy;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.fx.FieldErrors;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The retry policy section of the Settings screen: how many retries, how far apart, and which refusals bounce.
 * The schedule it would give is shown as the operator types; every host applies a saved policy within seconds.
 */
public final class RetryPolicyModel {

    public enum Field { RETRIES, FIRST_DELAY, FACTOR, MAX_DELAY, RULES }

    private final LiveSettings settings;
    private final TaskRunner tasks;

    private final StringProperty retries = new SimpleStringProperty("");
    private final StringProperty firstDelay = new SimpleStringProperty("");
    private final StringProperty factor = new SimpleStringProperty("");
    private final StringProperty maxDelay = new SimpleStringProperty("");
    private final StringProperty rules = new SimpleStringProperty("");

    private final FieldErrors<Field> errors = new FieldErrors<>(Field.class);
    private final ReadOnlyStringWrapper schedule = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);

    public RetryPolicyModel(LiveSettings settings, TaskRunner tasks) {
        this.settings = settings;
        this.tasks = tasks;
        for (StringProperty input : List.of(retries, firstDelay, factor, maxDelay, rules)) {
            input.addListener((obs, old, text) -> {
                outcome.set(Outcome.NONE);
                result.set("");
                validated();
            });
        }
        load();
    }

    /** Reads the saved policy off the JavaFX thread; the form stays disabled until it is in. */
    public void load() {
        busy.set(true);
        tasks.run(settings::loadRetryPolicy, policy -> {
            show(policy);
            busy.set(false);
        }, failure -> {
            busy.set(false);
            show(Outcome.DANGER, "Could not read the retry policy: " + failure.getMessage());
        });
    }

    private void show(RetryPolicy policy) {
        retries.set(Integer.toString(policy.maxRetries()));
        firstDelay.set(RetryPolicy.delayText(policy.firstDelay()));
        factor.set(RetryPolicy.factorText(policy.backoffFactor()));
        maxDelay.set(RetryPolicy.delayText(policy.maxDelay()));
        rules.set(policy.rulesText());
        outcome.set(Outcome.NONE);
        result.set("");
    }

    public void restoreDefaults() {
        show(RetryPolicy.defaults());
    }

    public void save() {
        if (busy.get()) {
            return;
        }
        Optional<RetryPolicy> policy = validated();
        if (policy.isEmpty()) {
            show(Outcome.DANGER, "Not saved: correct the fields marked in red.");
            return;
        }
        busy.set(true);
        tasks.run(() -> {
            settings.saveRetryPolicy(policy.get());
            return policy.get();
        }, saved -> {
            busy.set(false);
            show(Outcome.SUCCESS, "Saved. Every host applies it to the next failed delivery, within 5 s.");
        }, failure -> {
            busy.set(false);
            show(Outcome.DANGER, "Not saved: " + failure.getMessage());
        });
    }

    /** The policy in the form, or empty after putting a message next to each bad field; updates the schedule. */
    Optional<RetryPolicy> validated() {
        errors.clearAll();
        Integer count = parse(Field.RETRIES, () -> {
            String text = retries.get() == null ? "" : retries.get().strip();
            if (!text.matches("\\d{1,3}") || Integer.parseInt(text) > RetryPolicy.MAX_RETRIES) {
                throw new IllegalArgumentException("Enter a whole number from 0 to " + RetryPolicy.MAX_RETRIES + ".");
            }
            return Integer.parseInt(text);
        });
        Duration first = parse(Field.FIRST_DELAY, () -> RetryPolicy.parseDelay(firstDelay.get()));
        Double multiplier = parse(Field.FACTOR, () -> {
            try {
                return Double.parseDouble(factor.get() == null ? "" : factor.get().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Enter a number such as 2 or 1.5.");
            }
        });
        Duration longest = parse(Field.MAX_DELAY, () -> RetryPolicy.parseDelay(maxDelay.get()));
        List<RetryPolicy.ReplyRule> parsedRules = parse(Field.RULES, () -> RetryPolicy.parseRules(rules.get()));
        if (errors.any()) {
            schedule.set("");
            return Optional.empty();
        }
        try {
            RetryPolicy policy = new RetryPolicy(count, first, multiplier, longest, parsedRules);
            schedule.set(policy.describeSchedule());
            return Optional.of(policy);
        } catch (IllegalArgumentException e) {
            errors.set(fieldOf(e.getMessage()), e.getMessage());
            schedule.set("");
            return Optional.empty();
        }
    }

    /** Which field a whole-policy check is about, by its wording in {@link RetryPolicy}. */
    private static Field fieldOf(String message) {
        if (message.startsWith("Retries")) {
            return Field.RETRIES;
        }
        if (message.startsWith("The first delay")) {
            return Field.FIRST_DELAY;
        }
        if (message.startsWith("The backoff factor")) {
            return Field.FACTOR;
        }
        if (message.contains(" rules ")) {
            return Field.RULES;
        }
        return Field.MAX_DELAY;
    }

    private <T> T parse(Field field, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            errors.set(field, e.getMessage());
            return null;
        }
    }

    private void show(Outcome kind, String message) {
        outcome.set(kind);
        result.set(message);
    }

    public StringProperty retriesProperty() {
        return retries;
    }

    public StringProperty firstDelayProperty() {
        return firstDelay;
    }

    public StringProperty factorProperty() {
        return factor;
    }

    public StringProperty maxDelayProperty() {
        return maxDelay;
    }

    public StringProperty rulesProperty() {
        return rules;
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.property(field);
    }

    public ReadOnlyStringProperty scheduleProperty() {
        return schedule.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }
}
