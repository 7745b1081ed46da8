package dev.jobdeck.ui.compose;

import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.compose.ComposeModel.Outcome;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;

import static dev.jobdeck.ui.compose.FormBindings.markInvalid;
import static dev.jobdeck.ui.compose.FormBindings.showMessage;
import static dev.jobdeck.ui.compose.FormBindings.showWhen;

/** Binds the preview of a recipient's merged e-mail and Send test to the {@link PreviewModel} it is shown. */
public final class ComposePreviewController {

    private PreviewModel model;

    @FXML private Button composePreviewPrevious;
    @FXML private Button composePreviewNext;
    @FXML private Label composePreviewPosition;
    @FXML private Label composePreviewProblem;
    @FXML private Label composePreviewSubject;
    @FXML private StackPane composePreviewHtml;
    @FXML private Label composePreviewTextLabel;
    @FXML private TextArea composePreviewText;
    @FXML private TextField composeTestSendTo;
    @FXML private Button composeTestSend;
    @FXML private Label composeTestSendToError;
    @FXML private Label composeTestSendResult;
    /** Created the first time HTML is previewed, so WebView is not loaded at console start. */
    private HtmlPreview htmlPreview;

    /** Called by the Compose screen once loaded, with this pane's model. */
    void show(PreviewModel preview) {
        model = preview;
        composePreviewPrevious.disableProperty().bind(model.hasPreviousProperty().not());
        composePreviewNext.disableProperty().bind(model.hasNextProperty().not());
        composePreviewPosition.textProperty().bind(model.positionProperty());
        showMessage(composePreviewProblem, model.problemProperty());
        composePreviewSubject.textProperty().bind(model.subjectProperty());
        composePreviewTextLabel.textProperty().bind(model.textLabelProperty());
        composePreviewText.textProperty().bind(model.textProperty());
        showWhen(composePreviewHtml, model.formatProperty().isEqualTo(BodyFormat.HTML));
        model.htmlDocumentProperty().addListener((obs, old, document) -> showHtml(document));
        showHtml(model.htmlDocumentProperty().get());

        composeTestSendTo.textProperty().bindBidirectional(model.testToProperty());
        showMessage(composeTestSendToError, model.testToErrorProperty());
        model.testToErrorProperty().addListener((obs, old, message) ->
                markInvalid(new Node[] {composeTestSendTo}, !message.isEmpty()));
        composeTestSend.disableProperty().bind(model.testSendingProperty());
        showMessage(composeTestSendResult, model.testResultProperty());
        model.testOutcomeProperty().addListener((obs, old, outcome) ->
                Styles.banner(composeTestSendResult, outcome == Outcome.SUCCESS ? Styles.BANNER_SUCCESS : Styles.BANNER_DANGER));
    }

    private void showHtml(String document) {
        if (document.isEmpty() && htmlPreview == null) {
            return;
        }
        if (htmlPreview == null) {
            htmlPreview = new HtmlPreview();
            composePreviewHtml.getChildren().setAll(htmlPreview);
        }
        htmlPreview.show(document);
    }

    @FXML
    private void previewPrevious() {
        model.previous();
    }

    @FXML
    private void previewNext() {
        model.next();
    }

    @FXML
    private void sendTest() {
        model.sendTest();
    }
}
