package dev.jobdeck.ui.hosts;

import dev.jobdeck.ui.hosts.HostsModel.Field;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;

import java.util.EnumMap;
import java.util.Map;

/** The message next to each input of the Hosts screen: set when a command refuses it, cleared when it is edited. */
final class FieldErrors {

    private final Map<Field, ReadOnlyStringWrapper> errors = new EnumMap<>(Field.class);

    FieldErrors() {
        for (Field field : Field.values()) {
            errors.put(field, new ReadOnlyStringWrapper(""));
        }
    }

    void clearOnEdit(ObservableValue<?> input, Field field) {
        input.addListener((obs, old, value) -> errors.get(field).set(""));
    }

    /** The whole number in {@code text} within bounds, or null after putting {@code message} next to the field. */
    Integer wholeNumber(String text, long min, long max, Field field, String message) {
        errors.get(field).set("");
        String trimmed = text == null ? "" : text.strip();
        try {
            long value = Long.parseLong(trimmed);
            if (value >= min && value <= max) {
                return (int) value;
            }
        } catch (NumberFormatException e) {
            // Not a number: the same message as out of range.
        }
        errors.get(field).set(message);
        return null;
    }

    ReadOnlyStringProperty property(Field field) {
        return errors.get(field).getReadOnlyProperty();
    }
}
