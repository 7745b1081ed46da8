package dev.jobdeck.ui.compose;

import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.compose.ComposeModel.Outcome;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

import static dev.jobdeck.ui.compose.FormBindings.markInvalid;
import static dev.jobdeck.ui.compose.FormBindings.showMessage;

/** Binds the saved-template row (pick, delete, save as) to the {@link TemplatesModel} it is shown. */
public final class ComposeTemplatesController {

    private TemplatesModel model;

    @FXML private ComboBox<String> composeTemplate;
    @FXML private Button composeDeleteTemplate;
    @FXML private TextField composeTemplateName;
    @FXML private Button composeSaveTemplate;
    @FXML private Label composeTemplateNameError;
    @FXML private Label composeTemplateStatus;

    /** Called by the Compose screen once loaded, with this pane's model. */
    void show(TemplatesModel templates) {
        model = templates;
        composeTemplate.setItems(model.templateNames());
        composeTemplate.valueProperty().bindBidirectional(model.templateChoiceProperty());
        composeTemplateName.textProperty().bindBidirectional(model.templateNameProperty());
        showMessage(composeTemplateNameError, model.templateNameErrorProperty());
        model.templateNameErrorProperty().addListener((obs, old, message) ->
                markInvalid(new Node[] {composeTemplateName}, !message.isEmpty()));
        composeSaveTemplate.disableProperty().bind(model.templateBusyProperty());
        composeDeleteTemplate.disableProperty().bind(model.templateBusyProperty().or(model.templateChoiceProperty().isNull()));
        showMessage(composeTemplateStatus, model.templateMessageProperty());
        model.templateOutcomeProperty().addListener((obs, old, outcome) ->
                Styles.banner(composeTemplateStatus, outcome == Outcome.DANGER ? Styles.BANNER_DANGER : Styles.BANNER_SUCCESS));
    }

    @FXML
    private void saveTemplate() {
        model.saveTemplate();
    }

    @FXML
    private void deleteTemplate() {
        model.deleteTemplate();
    }
}
