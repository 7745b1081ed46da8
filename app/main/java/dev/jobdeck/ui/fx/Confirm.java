package dev.jobdeck.ui.fx;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;

/** "Are you sure" before a destructive action (delete, clear): OK or Cancel, owned by the window of {@code owner}. */
public final class Confirm {

    private Confirm() {
    }

    public static boolean ask(Node owner, String question) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.OK, ButtonType.CANCEL);
        alert.setHeaderText(null);
        alert.initOwner(owner.getScene().getWindow());
        return alert.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }
}
