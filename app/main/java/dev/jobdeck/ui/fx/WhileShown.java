package dev.jobdeck.ui.fx;

import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Window;

/** Keeps a screen's live refresh running only while its window shows it. */
public final class WhileShown {

    private WhileShown() {
    }

    /**
     * Calls {@code start} when {@code node}'s window shows (at once, if it already does) and {@code stop} when
     * it hides. Returns the observed value; keep it in a field so the listener lives as long as the screen.
     */
    public static ObservableValue<Boolean> run(Node node, Runnable start, Runnable stop) {
        ObservableValue<Boolean> shown = node.sceneProperty()
                .flatMap(Scene::windowProperty)
                .flatMap(Window::showingProperty)
                .orElse(false);
        shown.addListener((obs, was, isShown) -> (isShown ? start : stop).run());
        if (shown.getValue()) {
            start.run();
        }
        return shown;
    }
}
