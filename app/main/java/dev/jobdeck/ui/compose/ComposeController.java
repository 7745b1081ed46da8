package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.ui.fx.Confirm;
import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.compose.ComposeModel.Outcome;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

import static dev.jobdeck.ui.compose.FormBindings.showWhen;

/**
 * The Compose screen: hands each pane (included from its own FXML, its controller injected as
 * {@code <fx:id>Controller}) its part of the {@link ComposeModel}, and binds Queue, Clear and their outcome.
 */
public final class ComposeController {

    private final ComposeModel model;

    @FXML private ComposeRecipientsController composeRecipientsPaneController;
    @FXML private ComposeTemplatesController composeTemplatesPaneController;
    @FXML private ComposeMessageController composeMessagePaneController;
    @FXML private ComposeAttachmentsController composeAttachmentsPaneController;
    @FXML private ComposeScheduleController composeSchedulePaneController;
    @FXML private ComposePreviewController composePreviewController;
    @FXML private Button composeSend;
    @FXML private Button composeClear;
    @FXML private HBox composeResultBox;
    @FXML private Label composeResult;
    @FXML private Hyperlink composeShowJobs;

    public ComposeController(ComposeModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        composeRecipientsPaneController.show(model.recipients(), model::errorProperty);
        composeTemplatesPaneController.show(model.templates());
        composeMessagePaneController.show(model.message(), model::errorProperty);
        composeAttachmentsPaneController.show(model.attachments(), model.errorProperty(Field.ATTACHMENTS));
        composeSchedulePaneController.show(model.schedule(), model.errorProperty(Field.WHEN));
        composePreviewController.show(model.preview());

        composeSend.disableProperty().bind(model.sendingProperty());
        composeResult.textProperty().bind(model.resultProperty());
        showWhen(composeResultBox, model.outcomeProperty().isNotEqualTo(Outcome.NONE));
        model.outcomeProperty().addListener((obs, old, outcome) ->
                Styles.banner(composeResult, outcome == Outcome.SUCCESS ? Styles.BANNER_SUCCESS : Styles.BANNER_DANGER));
        showWhen(composeShowJobs, model.jobsLinkVisibleProperty());
    }

    @FXML
    private void send() {
        model.send();
    }

    @FXML
    private void clear() {
        if (model.clearQuestion().map(question -> Confirm.ask(composeClear, question)).orElse(true)) {
            model.clear();
        }
    }

    @FXML
    private void showJobs() {
        model.showQueuedJobs();
    }
}
