package dev.jobdeck.ui.compose;

import dev.jobdeck.ui.fx.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableStringValue;
import javafx.scene.Node;
import javafx.scene.control.Label;

/** The few ways the Compose panes show their model: a node while a condition holds, a message, a field's problem. */
final class FormBindings {

    private FormBindings() {
    }

    /** Shows {@code node} (and gives it room) only while {@code shown} holds. */
    static void showWhen(Node node, ObservableBooleanValue shown) {
        node.visibleProperty().bind(shown);
        node.managedProperty().bind(node.visibleProperty());
    }

    /** Shows {@code message} in {@code label}, and the label only while there is one. */
    static void showMessage(Label label, ObservableStringValue message) {
        label.textProperty().bind(message);
        label.visibleProperty().bind(Bindings.isNotEmpty(message));
        label.managedProperty().bind(label.visibleProperty());
    }

    /** Shows a field's problem under it and marks the input invalid while there is one. */
    static void showError(ObservableStringValue error, Node input, Label label) {
        showMessage(label, error);
        if (input != label) {
            error.addListener((obs, old, message) -> markInvalid(new Node[] {input}, !message.isEmpty()));
        }
    }

    static void markInvalid(Node[] inputs, boolean invalid) {
        for (Node input : inputs) {
            input.pseudoClassStateChanged(Styles.INVALID, invalid);
        }
    }
}
