package dev.jobdeck.ui.settings;

import dev.jobdeck.ui.fx.Styles;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.scene.Node;
import javafx.scene.control.Label;

/** How every section of the Settings screen shows a field's message and a command's outcome. */
final class SectionViews {

    private SectionViews() {
    }

    /** The message below its field, taking no room while empty; the field is marked invalid while there is one. */
    static void showError(ReadOnlyStringProperty error, Node input, Label label) {
        label.textProperty().bind(error);
        label.visibleProperty().bind(error.isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
        error.addListener((obs, old, message) -> input.pseudoClassStateChanged(Styles.INVALID, !message.isEmpty()));
    }

    /** A banner coloured by the outcome, hidden while there is none. */
    static void showBanner(Label banner, ReadOnlyStringProperty text, ReadOnlyObjectProperty<Outcome> outcome) {
        banner.textProperty().bind(text);
        banner.visibleProperty().bind(outcome.isNotEqualTo(Outcome.NONE));
        banner.managedProperty().bind(banner.visibleProperty());
        outcome.addListener((obs, old, kind) ->
                Styles.banner(banner, kind == Outcome.SUCCESS ? Styles.BANNER_SUCCESS : Styles.BANNER_DANGER));
    }
}
