package dev.jobdeck.ui.hosts;

import dev.jobdeck.ui.fx.FieldErrors;
import dev.jobdeck.ui.hosts.HostsModel.Field;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.value.ObservableValue;

/**
 * The Hosts screen's inputs: whole numbers within bounds, and the message next to each input ({@link FieldErrors}),
 * set when a command refuses it and cleared when it is edited.
 */
final class HostInputs {

    private final FieldErrors<Field> errors = new FieldErrors<>(Field.class);

    void clearOnEdit(ObservableValue<?> input, Field field) {
        errors.clearOnEdit(input, field);
    }

    /** The whole number in {@code text} within bounds, or null after putting {@code message} next to the field. */
    Integer wholeNumber(String text, long min, long max, Field field, String message) {
        errors.clear(field);
        String trimmed = text == null ? "" : text.strip();
        try {
            long value = Long.parseLong(trimmed);
            if (value >= min && value <= max) {
                return (int) value;
            }
        } catch (NumberFormatException e) {
            // Not a number: the same message as out of range.
        }
        errors.set(field, message);
        return null;
    }

    ReadOnlyStringProperty property(Field field) {
        return errors.property(field);
    }
}
