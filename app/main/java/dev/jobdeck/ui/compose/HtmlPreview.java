package dev.jobdeck.ui.compose;

import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebView;

/**
 * Shows a {@link dev.jobdeck.core.templates.PreviewDocument} as a mail client would, in a WebView with
 * JavaScript off, no context menu and no pop-ups. Mouse clicks and keys are swallowed, so a link cannot
 * navigate the preview to a remote page (the document's policy stops sub-resources, not navigation);
 * the wheel still scrolls. Only the Compose controller creates one, and only when an HTML body is
 * previewed: WebView and its native library are not loaded at console start.
 */
final class HtmlPreview extends StackPane {

    private final WebView view = new WebView();

    HtmlPreview() {
        WebEngine engine = view.getEngine();
        engine.setJavaScriptEnabled(false);
        engine.setCreatePopupHandler(features -> null);
        view.setContextMenuEnabled(false);
        view.addEventFilter(MouseEvent.ANY, event -> {
            if (event.getEventType() != MouseEvent.MOUSE_MOVED) {
                event.consume();
            }
        });
        view.addEventFilter(KeyEvent.ANY, KeyEvent::consume);
        view.setId("composePreviewWeb");
        view.setFocusTraversable(false);
        getChildren().add(view);
    }

    void show(String document) {
        view.getEngine().loadContent(document, "text/html");
    }

    WebEngine engine() {
        return view.getEngine();
    }
}
