package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.AttachmentFile;
import dev.jobdeck.ui.fx.FilePicker;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;

import static dev.jobdeck.ui.compose.FormBindings.showError;
import static dev.jobdeck.ui.compose.FormBindings.showWhen;

/** Binds the attachments row (the list, Add files…, Remove) to the {@link AttachmentsModel} it is shown. */
public final class ComposeAttachmentsController {

    private final FilePicker filePicker;
    private AttachmentsModel model;

    @FXML private ListView<AttachmentFile> composeAttachments;
    @FXML private Button composeRemoveAttachment;
    @FXML private Label composeAttachmentsTotal;
    @FXML private Label composeAttachmentsError;

    public ComposeAttachmentsController(FilePicker filePicker) {
        this.filePicker = filePicker;
    }

    /** Called by the Compose screen once loaded, with this pane's model and the form's problem with the files. */
    void show(AttachmentsModel attachments, ObservableStringValue error) {
        model = attachments;
        composeAttachments.setItems(model.files());
        composeAttachments.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(AttachmentFile file, boolean empty) {
                super.updateItem(file, empty);
                setText(empty || file == null ? null : AttachmentsModel.describe(file));
            }
        });
        showWhen(composeAttachments, Bindings.isNotEmpty(model.files()));
        composeRemoveAttachment.disableProperty().bind(composeAttachments.getSelectionModel().selectedItemProperty().isNull());
        composeAttachmentsTotal.textProperty().bind(model.totalProperty());
        showError(error, composeAttachments, composeAttachmentsError);
    }

    @FXML
    private void addAttachments() {
        model.add(filePicker.openAttachments(composeAttachments.getScene().getWindow()));
    }

    @FXML
    private void removeAttachment() {
        model.remove(composeAttachments.getSelectionModel().getSelectedItem());
    }
}
