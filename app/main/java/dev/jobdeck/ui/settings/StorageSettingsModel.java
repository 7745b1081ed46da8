package dev.jobdeck.ui.settings;

import dev.jobdeck.core.settings.RetentionPeriod;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The Settings screen's storage section (decision 26): how long succeeded jobs are kept, where the store lives and
 * whether it answers (issue 17), and its size, read off the JavaFX thread.
 */
public final class StorageSettingsModel {

    /** Saves a retention period where every host reads it (the store). */
    @FunctionalInterface
    public interface RetentionSaver {
        void save(RetentionPeriod period) throws Exception;
    }

    private final Supplier<RetentionPeriod> current;
    private final RetentionSaver saver;
    private final Callable<Long> storeBytes;
    private final Callable<String> testConnection;
    private final TaskRunner tasks;

    // Properties
    private final StringProperty retention = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper retentionError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper storeSize = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);
    private final ReadOnlyStringWrapper store = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper testing = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper testResult = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> testOutcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);

    /**
     * @param current    the period in force, from memory (called on the JavaFX thread)
     * @param saver      stores a new period; runs on the background executor
     * @param storeBytes the store's file size; runs on the background executor
     */
    public StorageSettingsModel(Supplier<RetentionPeriod> current, RetentionSaver saver, Callable<Long> storeBytes,
                                TaskRunner tasks) {
        this(current, saver, storeBytes, "", () -> "", tasks);
    }

    /**
     * @param storeDescription where the store lives, in words (issue 17: the embedded H2 file or a PostgreSQL server)
     * @param testConnection   a round trip to the store, in one sentence; runs on the background executor
     */
    public StorageSettingsModel(Supplier<RetentionPeriod> current, RetentionSaver saver, Callable<Long> storeBytes,
                                String storeDescription, Callable<String> testConnection, TaskRunner tasks) {
        this.current = current;
        this.saver = saver;
        this.storeBytes = storeBytes;
        this.testConnection = testConnection;
        this.tasks = tasks;
        store.set(storeDescription);
        retention.addListener((obs, old, text) -> {
            retentionError.set("");
            result.set("");
            outcome.set(Outcome.NONE);
        });
        load();
    }

    // Commands

    /** Shows the period in force and reads the store's size. */
    public void load() {
        retention.set(current.get().succeededText());
        refreshSize();
    }

    public void refreshSize() {
        tasks.run(storeBytes, bytes -> storeSize.set(megabytes(bytes)),
                failure -> storeSize.set("unknown (" + failure.getMessage() + ")"));
    }

    /** Saves the period typed; a period refused gets its sentence next to the field and nothing changes. */
    public void save() {
        if (saving.get()) {
            return;
        }
        RetentionPeriod period;
        try {
            period = RetentionPeriod.parse(retention.get());
        } catch (IllegalArgumentException e) {
            retentionError.set(e.getMessage());
            return;
        }
        saving.set(true);
        tasks.run(() -> {
            saver.save(period);
            return period;
        }, saved -> {
            saving.set(false);
            retention.set(saved.succeededText());
            outcome.set(Outcome.SUCCESS);
            result.set("Saved. Succeeded jobs older than " + saved.succeededText() + " are removed within a minute;"
                    + " the survival report keeps counting them.");
        }, failure -> {
            saving.set(false);
            outcome.set(Outcome.DANGER);
            result.set("Not saved: " + failure.getMessage());
        });
    }

    /** Tries the store as the hosts reach it, off the JavaFX thread, and says what it found or why it failed. */
    public void testConnection() {
        if (testing.get()) {
            return;
        }
        testing.set(true);
        testResult.set("Testing the connection…");
        testOutcome.set(Outcome.NONE);
        tasks.run(testConnection, sentence -> {
            testing.set(false);
            testOutcome.set(Outcome.SUCCESS);
            testResult.set(sentence);
        }, failure -> {
            testing.set(false);
            testOutcome.set(Outcome.DANGER);
            String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            int newline = message.indexOf('\n');
            testResult.set("The store does not answer: " + (newline < 0 ? message : message.substring(0, newline)));
        });
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    // Properties

    public StringProperty retentionProperty() {
        return retention;
    }

    public ReadOnlyStringProperty retentionErrorProperty() {
        return retentionError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty storeSizeProperty() {
        return storeSize.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty storeProperty() {
        return store.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty testingProperty() {
        return testing.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty testResultProperty() {
        return testResult.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> testOutcomeProperty() {
        return testOutcome.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty savingProperty() {
        return saving.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }
}
