package dev.jobdeck.ui.jobs;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;

/** The Jobs screen's "are you sure" before deleting: OK or Cancel, owned by the window of {@code owner}. */
final class Confirm {

    private Confirm() {
    }

    static boolean ask(Node owner, String question) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.OK, ButtonType.CANCEL);
        alert.setHeaderText(null);
        alert.initOwner(owner.getScene().getWindow());
        return alert.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }
}
