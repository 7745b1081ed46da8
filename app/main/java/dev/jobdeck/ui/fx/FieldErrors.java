package dev.jobdeck.ui.fx;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;

import java.util.EnumMap;
import java.util.Map;

/**
 * The message shown beside each field of a form, one per constant of the form's {@code Field} enum, empty when the
 * field is fine (decision 47). A model owns one, sets messages when it validates, and lets the view bind
 * {@link #property}; {@link #clearOnEdit} removes a field's message as soon as the operator changes that field.
 *
 * <p>Every form's messages go through one: the Settings sections, the fault panel, Compose ({@code ComposeModel}; its
 * attachments and preview write their one field through {@link #writable}) and the Hosts screen ({@code HostInputs}).
 * No scene-graph imports: models use it.
 */
public final class FieldErrors<F extends Enum<F>> {

    private final Map<F, ReadOnlyStringWrapper> messages;

    public FieldErrors(Class<F> fields) {
        messages = new EnumMap<>(fields);
        for (F field : fields.getEnumConstants()) {
            messages.put(field, new ReadOnlyStringWrapper(""));
        }
    }

    /** Clears the field's message whenever {@code input} changes: the operator is correcting it. */
    public void clearOnEdit(ObservableValue<?> input, F field) {
        input.addListener((obs, old, value) -> clear(field));
    }

    public void set(F field, String message) {
        messages.get(field).set(message == null ? "" : message);
    }

    public void clear(F field) {
        messages.get(field).set("");
    }

    public void clearAll() {
        messages.values().forEach(message -> message.set(""));
    }

    /** The field's message, empty when there is none. */
    public String get(F field) {
        return messages.get(field).get();
    }

    /** Whether any field has a message, i.e. the form does not validate. */
    public boolean any() {
        return messages.values().stream().anyMatch(message -> !message.get().isEmpty());
    }

    /** What the view binds beside the field. */
    public ReadOnlyStringProperty property(F field) {
        return messages.get(field).getReadOnlyProperty();
    }

    /** The field's message for a collaborating model that validates that one field itself. */
    public ReadOnlyStringWrapper writable(F field) {
        return messages.get(field);
    }
}
