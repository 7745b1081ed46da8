package dev.jobdeck.ui.settings;

import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.ui.fx.FieldErrors;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.function.Supplier;

/**
 * The Settings screen's delivery section: the bulk size and the connection and rate limits every
 * host on the store honours, saved where every host reads them.
 */
public final class DeliverySettingsModel {

    public enum Field { BULK_SIZE, MAX_CONNECTIONS, MAX_PER_SECOND }

    /** Saves delivery settings where every host reads them (the store). */
    @FunctionalInterface
    public interface DeliverySaver {
        void save(DeliverySettings settings) throws Exception;
    }

    private final Supplier<DeliverySettings> delivery;
    private final DeliverySaver saver;
    private final TaskRunner tasks;

    // Properties
    private final StringProperty bulkSize = new SimpleStringProperty("");
    private final StringProperty maxConnections = new SimpleStringProperty("");
    private final StringProperty maxPerSecond = new SimpleStringProperty("");
    private final FieldErrors<Field> errors = new FieldErrors<>(Field.class);
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);

    /**
     * @param delivery the delivery settings in force, from memory (called on the JavaFX thread)
     * @param saver    stores new delivery settings; runs on the background executor
     */
    public DeliverySettingsModel(Supplier<DeliverySettings> delivery, DeliverySaver saver, TaskRunner tasks) {
        this.delivery = delivery;
        this.saver = saver;
        this.tasks = tasks;
        errors.clearOnEdit(bulkSize, Field.BULK_SIZE);
        errors.clearOnEdit(maxConnections, Field.MAX_CONNECTIONS);
        errors.clearOnEdit(maxPerSecond, Field.MAX_PER_SECOND);
        load();
    }

    /** Fills the form from the settings in force, which are kept in memory: no database read. */
    public void load() {
        DeliverySettings current = delivery.get();
        bulkSize.set(Integer.toString(current.batchSize()));
        maxConnections.set(Integer.toString(current.maxConnections()));
        maxPerSecond.set(Integer.toString(current.maxPerSecond()));
        errors.clearAll();
    }

    // Commands

    /** Checks and saves the bulk size and limits; every host applies them within a few seconds. */
    public void save() {
        if (saving.get()) {
            return;
        }
        outcome.set(Outcome.NONE);
        result.set("");
        Integer size = number(bulkSize.get(), DeliverySettings.BATCH_SIZE, Field.BULK_SIZE);
        Integer connections = number(maxConnections.get(), DeliverySettings.MAX_CONNECTIONS, Field.MAX_CONNECTIONS);
        Integer rate = number(maxPerSecond.get(), DeliverySettings.MAX_PER_SECOND, Field.MAX_PER_SECOND);
        if (size == null || connections == null || rate == null) {
            return;
        }
        DeliverySettings updated = new DeliverySettings(size, connections, rate);
        saving.set(true);
        tasks.run(() -> {
                    saver.save(updated);
                    return updated;
                },
                saved -> {
                    saving.set(false);
                    outcome.set(Outcome.SUCCESS);
                    result.set("Saved. Every host applies it within a few seconds.");
                },
                failure -> {
                    saving.set(false);
                    outcome.set(Outcome.DANGER);
                    result.set("Not saved: " + failure.getMessage());
                });
    }

    private Integer number(String text, String key, Field field) {
        try {
            return DeliverySettings.parse(key, text);
        } catch (IllegalArgumentException e) {
            errors.set(field, e.getMessage());
            return null;
        }
    }

    // Property accessors

    public StringProperty bulkSizeProperty() {
        return bulkSize;
    }

    public StringProperty maxConnectionsProperty() {
        return maxConnections;
    }

    public StringProperty maxPerSecondProperty() {
        return maxPerSecond;
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.property(field);
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
