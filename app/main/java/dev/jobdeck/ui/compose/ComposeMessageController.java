package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.ui.fx.ChoiceLabels;
import javafx.beans.value.ObservableStringValue;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

import java.util.function.Function;

import static dev.jobdeck.ui.compose.FormBindings.showError;
import static dev.jobdeck.ui.compose.FormBindings.showWhen;

/** Binds Subject, Body, its format and the plain-text part to the {@link MessageModel} it is shown. */
public final class ComposeMessageController {

    @FXML private Label composeSubjectLabel;
    @FXML private TextField composeSubject;
    @FXML private Label composeSubjectError;
    @FXML private Label composeBodyLabel;
    @FXML private ComboBox<BodyFormat> composeFormat;
    @FXML private TextArea composeBody;
    @FXML private Label composeBodyError;
    @FXML private Label composeTextAlternativeLabel;
    @FXML private VBox composeTextAlternativeRow;
    @FXML private TextArea composeTextAlternative;
    @FXML private Label composeTextAlternativeHint;
    @FXML private Label composeTextAlternativeError;

    /** Called by the Compose screen once loaded, with this pane's model and the form's problem of each field. */
    void show(MessageModel model, Function<Field, ObservableStringValue> errors) {
        // Alt+S and Alt+B jump to Subject and Body, however many controls the form has before them.
        composeSubjectLabel.setLabelFor(composeSubject);
        composeBodyLabel.setLabelFor(composeBody);
        composeSubject.textProperty().bindBidirectional(model.subjectProperty());
        composeBody.textProperty().bindBidirectional(model.bodyProperty());
        showError(errors.apply(Field.SUBJECT), composeSubject, composeSubjectError);
        showError(errors.apply(Field.BODY), composeBody, composeBodyError);

        composeFormat.getItems().setAll(BodyFormat.values());
        composeFormat.setConverter(ChoiceLabels.of(BodyFormat::label));
        composeFormat.valueProperty().bindBidirectional(model.formatProperty());
        composeTextAlternative.textProperty().bindBidirectional(model.textAlternativeProperty());
        composeTextAlternativeHint.textProperty().bind(model.textAlternativeHintProperty());
        showError(errors.apply(Field.TEXT_ALTERNATIVE), composeTextAlternative, composeTextAlternativeError);
        showWhen(composeTextAlternativeRow, model.formatProperty().isEqualTo(BodyFormat.HTML));
        showWhen(composeTextAlternativeLabel, composeTextAlternativeRow.visibleProperty());
    }
}
