package dev.jobdeck.ui.compose;

import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.store.SavedTemplate;
import javafx.beans.Observable;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.List;

/** The Compose screen's message: subject, body, its format and, for HTML, the plain-text part. */
public final class MessageModel {

    // Properties: the inputs, bound both ways by the view
    private final StringProperty subject = new SimpleStringProperty("");
    private final StringProperty body = new SimpleStringProperty("");
    private final ObjectProperty<BodyFormat> format = new SimpleObjectProperty<>(BodyFormat.TEXT);
    private final StringProperty textAlternative = new SimpleStringProperty("");

    // Properties: derived state, read-only to the view
    private final ReadOnlyStringWrapper textAlternativeHint = new ReadOnlyStringWrapper("");

    MessageModel() {
        format.addListener((obs, old, value) -> textAlternativeHint.set(describeTextAlternative()));
        textAlternative.addListener((obs, old, value) -> textAlternativeHint.set(describeTextAlternative()));
        textAlternativeHint.set(describeTextAlternative());
    }

    // Commands

    /** Takes subject, body, format and plain-text part from a saved template. */
    void fillFrom(SavedTemplate template) {
        subject.set(template.subject());
        body.set(template.body());
        format.set(template.format());
        textAlternative.set(template.textAlternative());
    }

    void clear() {
        subject.set("");
        body.set("");
        format.set(BodyFormat.TEXT);
        textAlternative.set("");
    }

    /** The plain-text part that goes with the e-mail: the written one for HTML, none for plain text. */
    String textAlternativeToSend() {
        return format.get() == BodyFormat.HTML ? textAlternative.get() : "";
    }

    /** The inputs a merged preview follows. */
    List<Observable> inputs() {
        return List.of(subject, body, format, textAlternative);
    }

    private String describeTextAlternative() {
        if (format.get() != BodyFormat.HTML) {
            return "";
        }
        return textAlternative.get() == null || textAlternative.get().isBlank()
                ? "Empty: the plain-text part is derived from the HTML (see the preview)."
                : "This text is sent as the plain-text part, merged like the body.";
    }

    // Property accessors

    public StringProperty subjectProperty() {
        return subject;
    }

    public StringProperty bodyProperty() {
        return body;
    }

    public ObjectProperty<BodyFormat> formatProperty() {
        return format;
    }

    /** The plain-text part of an HTML e-mail; empty: derived from the HTML. */
    public StringProperty textAlternativeProperty() {
        return textAlternative;
    }

    /** Says whether the plain-text part is derived or written; empty for plain text. */
    public ReadOnlyStringProperty textAlternativeHintProperty() {
        return textAlternativeHint.getReadOnlyProperty();
    }
}
