package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.AttachmentFile;
import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.ui.ChoiceLabels;
import dev.jobdeck.ui.FilePicker;
import dev.jobdeck.ui.Styles;
import dev.jobdeck.ui.compose.ComposeModel.DelayUnit;
import dev.jobdeck.ui.compose.ComposeModel.Outcome;
import dev.jobdeck.ui.compose.ComposeModel.Schedule;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableStringValue;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import java.util.Map;


/** Binds the Compose form to its {@link ComposeModel}; every decision lives in the model. */
public final class ComposeController {

    private final ComposeModel model;
    private final FilePicker filePicker;

    @FXML private TextField composeFrom;
    @FXML private TextArea composeTo;
    @FXML private TextField composeCc;
    @FXML private TextField composeBcc;
    @FXML private TextField composeSubject;
    @FXML private TextArea composeBody;
    @FXML private Label composeFromError;
    @FXML private Label composeToError;
    @FXML private Label composeCcError;
    @FXML private Label composeBccError;
    @FXML private Label composeSubjectError;
    @FXML private Label composeBodyError;
    @FXML private Label composeWhenError;
    @FXML private Label composeRecipientCount;
    @FXML private ToggleGroup composeWhen;
    @FXML private RadioButton composeWhenNow;
    @FXML private RadioButton composeWhenAt;
    @FXML private RadioButton composeWhenAfter;
    @FXML private RadioButton composeWhenCron;
    @FXML private DatePicker composeAtDate;
    @FXML private TextField composeAtTime;
    @FXML private Spinner<Integer> composeDelayAmount;
    @FXML private ComboBox<DelayUnit> composeDelayUnit;
    @FXML private TextField composeCron;
    @FXML private Label composeCronNext;
    @FXML private Button composeSend;
    @FXML private HBox composeResultBox;
    @FXML private Label composeResult;
    @FXML private Hyperlink composeShowJobs;
    @FXML private Label composeToLabel;
    @FXML private Label composeSubjectLabel;
    @FXML private Label composeBodyLabel;
    @FXML private Button composeImportCsv;
    @FXML private HBox composeCsvProgressRow;
    @FXML private ProgressBar composeCsvProgress;
    @FXML private Label composeCsvProgressText;
    @FXML private Label composeCsvProblem;
    @FXML private HBox composeCsvColumnRow;
    @FXML private ComboBox<String> composeCsvColumn;
    @FXML private VBox composeCsvBox;
    @FXML private Label composeCsvFile;
    @FXML private Label composeCsvSummary;
    @FXML private CheckBox composeCsvIncludeDuplicates;
    @FXML private ListView<String> composeCsvErrors;
    @FXML private ListView<AttachmentFile> composeAttachments;
    @FXML private Button composeRemoveAttachment;
    @FXML private Label composeAttachmentsTotal;
    @FXML private Label composeAttachmentsError;
    @FXML private ComboBox<String> composeTemplate;
    @FXML private Button composeDeleteTemplate;
    @FXML private TextField composeTemplateName;
    @FXML private Button composeSaveTemplate;
    @FXML private Label composeTemplateNameError;
    @FXML private Label composeTemplateStatus;
    @FXML private ComboBox<BodyFormat> composeFormat;
    @FXML private Label composeTextAlternativeLabel;
    @FXML private VBox composeTextAlternativeRow;
    @FXML private TextArea composeTextAlternative;
    @FXML private Label composeTextAlternativeHint;
    @FXML private Label composeTextAlternativeError;
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

    public ComposeController(ComposeModel model) {
        this(model, FilePicker.system());
    }

    public ComposeController(ComposeModel model, FilePicker filePicker) {
        this.model = model;
        this.filePicker = filePicker;
    }

    @FXML
    private void initialize() {
        // Alt+T, Alt+S and Alt+B jump to To, Subject and Body, however many controls the form has between them.
        composeToLabel.setLabelFor(composeTo);
        composeSubjectLabel.setLabelFor(composeSubject);
        composeBodyLabel.setLabelFor(composeBody);
        composeFrom.textProperty().bindBidirectional(model.fromProperty());
        composeTo.textProperty().bindBidirectional(model.toProperty());
        composeCc.textProperty().bindBidirectional(model.ccProperty());
        composeBcc.textProperty().bindBidirectional(model.bccProperty());
        composeSubject.textProperty().bindBidirectional(model.subjectProperty());
        composeBody.textProperty().bindBidirectional(model.bodyProperty());
        composeRecipientCount.textProperty().bind(model.recipientCountProperty());

        showError(Field.FROM, composeFrom, composeFromError);
        showError(Field.TO, composeTo, composeToError);
        showError(Field.CC, composeCc, composeCcError);
        showError(Field.BCC, composeBcc, composeBccError);
        showError(Field.SUBJECT, composeSubject, composeSubjectError);
        showError(Field.BODY, composeBody, composeBodyError);
        showError(Field.WHEN, composeWhenError, composeWhenError);
        model.errorProperty(Field.WHEN).addListener((obs, old, message) -> {
            markInvalid(new Node[] {composeAtDate, composeAtTime, composeDelayAmount, composeCron}, false);
            markInvalid(inputsOf(model.scheduleProperty().get()), !message.isEmpty());
        });

        bindSchedule();
        bindCsvImport();
        bindAttachments();

        composeSend.disableProperty().bind(model.sendingProperty());
        composeResult.textProperty().bind(model.resultProperty());
        composeResultBox.visibleProperty().bind(model.outcomeProperty().isNotEqualTo(Outcome.NONE));
        composeResultBox.managedProperty().bind(composeResultBox.visibleProperty());
        model.outcomeProperty().addListener((obs, old, outcome) ->
                Styles.banner(composeResult, outcome == Outcome.SUCCESS ? Styles.BANNER_SUCCESS : Styles.BANNER_DANGER));
        composeShowJobs.visibleProperty().bind(model.jobsLinkVisibleProperty());
        composeShowJobs.managedProperty().bind(composeShowJobs.visibleProperty());

        bindTemplates();
        bindPreview();
    }

    private void bindTemplates() {
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

        composeFormat.getItems().setAll(BodyFormat.values());
        composeFormat.setConverter(ChoiceLabels.of(BodyFormat::label));
        composeFormat.valueProperty().bindBidirectional(model.formatProperty());
        composeTextAlternative.textProperty().bindBidirectional(model.textAlternativeProperty());
        composeTextAlternativeHint.textProperty().bind(model.textAlternativeHintProperty());
        showError(Field.TEXT_ALTERNATIVE, composeTextAlternative, composeTextAlternativeError);
        composeTextAlternativeRow.visibleProperty().bind(model.formatProperty().isEqualTo(BodyFormat.HTML));
        composeTextAlternativeRow.managedProperty().bind(composeTextAlternativeRow.visibleProperty());
        composeTextAlternativeLabel.visibleProperty().bind(composeTextAlternativeRow.visibleProperty());
        composeTextAlternativeLabel.managedProperty().bind(composeTextAlternativeRow.visibleProperty());
    }

    private void bindPreview() {
        PreviewModel preview = model.preview();
        composePreviewPrevious.disableProperty().bind(preview.hasPreviousProperty().not());
        composePreviewNext.disableProperty().bind(preview.hasNextProperty().not());
        composePreviewPosition.textProperty().bind(preview.positionProperty());
        showMessage(composePreviewProblem, preview.problemProperty());
        composePreviewSubject.textProperty().bind(preview.subjectProperty());
        composePreviewTextLabel.textProperty().bind(preview.textLabelProperty());
        composePreviewText.textProperty().bind(preview.textProperty());
        composePreviewHtml.visibleProperty().bind(preview.formatProperty().isEqualTo(BodyFormat.HTML));
        composePreviewHtml.managedProperty().bind(composePreviewHtml.visibleProperty());
        preview.htmlDocumentProperty().addListener((obs, old, document) -> showHtml(document));
        showHtml(preview.htmlDocumentProperty().get());

        composeTestSendTo.textProperty().bindBidirectional(preview.testToProperty());
        showMessage(composeTestSendToError, preview.testToErrorProperty());
        preview.testToErrorProperty().addListener((obs, old, message) ->
                markInvalid(new Node[] {composeTestSendTo}, !message.isEmpty()));
        composeTestSend.disableProperty().bind(preview.testSendingProperty());
        showMessage(composeTestSendResult, preview.testResultProperty());
        preview.testOutcomeProperty().addListener((obs, old, outcome) ->
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

    private static void showMessage(Label label, ObservableStringValue message) {
        label.textProperty().bind(message);
        label.visibleProperty().bind(Bindings.isNotEmpty(message));
        label.managedProperty().bind(label.visibleProperty());
    }

    private void bindSchedule() {
        Map<Schedule, RadioButton> radios = Map.of(Schedule.NOW, composeWhenNow, Schedule.AT, composeWhenAt,
                Schedule.AFTER, composeWhenAfter, Schedule.CRON, composeWhenCron);
        radios.forEach((schedule, radio) -> radio.setUserData(schedule));
        composeWhen.selectToggle(radios.get(model.scheduleProperty().get()));
        composeWhen.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle != null) {
                model.scheduleProperty().set((Schedule) toggle.getUserData());
            }
        });
        model.scheduleProperty().addListener((obs, old, schedule) -> composeWhen.selectToggle(radios.get(schedule)));

        composeAtDate.valueProperty().bindBidirectional(model.atDateProperty());
        composeAtTime.textProperty().bindBidirectional(model.atTimeProperty());
        composeDelayAmount.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 999, 10));
        composeDelayAmount.getValueFactory().valueProperty().bindBidirectional(model.delayAmountProperty());
        composeDelayUnit.getItems().setAll(DelayUnit.values());
        composeDelayUnit.setConverter(ChoiceLabels.of(DelayUnit::label));
        composeDelayUnit.valueProperty().bindBidirectional(model.delayUnitProperty());
        composeCron.textProperty().bindBidirectional(model.cronProperty());
        composeCronNext.textProperty().bind(model.cronNextRunProperty());

        composeAtDate.disableProperty().bind(model.scheduleProperty().isNotEqualTo(Schedule.AT));
        composeAtTime.disableProperty().bind(composeAtDate.disableProperty());
        composeDelayAmount.disableProperty().bind(model.scheduleProperty().isNotEqualTo(Schedule.AFTER));
        composeDelayUnit.disableProperty().bind(composeDelayAmount.disableProperty());
        composeCron.disableProperty().bind(model.scheduleProperty().isNotEqualTo(Schedule.CRON));
    }

    private void bindCsvImport() {
        CsvImportModel csv = model.csvImport();
        showWhen(composeTo, csv.activeProperty().not());
        showWhen(composeCsvProgressRow, csv.readingProperty());
        composeCsvProgress.progressProperty().bind(csv.progressProperty());
        composeCsvProgressText.textProperty().bind(csv.progressTextProperty());
        composeCsvProblem.textProperty().bind(csv.problemProperty());
        showWhen(composeCsvProblem, csv.problemProperty().isNotEmpty());
        composeCsvColumn.setItems(csv.columnChoices());
        showWhen(composeCsvColumnRow, Bindings.isNotEmpty(csv.columnChoices()));
        composeCsvColumn.setOnAction(event -> model.csvImport().chooseColumn(composeCsvColumn.getValue()));
        showWhen(composeCsvBox, csv.activeProperty());
        composeCsvFile.textProperty().bind(csv.fileNameProperty());
        composeCsvSummary.textProperty().bind(csv.summaryProperty());
        composeCsvIncludeDuplicates.selectedProperty().bindBidirectional(csv.includeDuplicatesProperty());
        showWhen(composeCsvIncludeDuplicates, csv.duplicateCountProperty().greaterThan(0));
        composeCsvErrors.setItems(csv.rowProblems());
        showWhen(composeCsvErrors, Bindings.isNotEmpty(csv.rowProblems()));
        composeImportCsv.disableProperty().bind(csv.readingProperty());
    }

    private void bindAttachments() {
        AttachmentsModel attachments = model.attachments();
        composeAttachments.setItems(attachments.files());
        composeAttachments.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(AttachmentFile file, boolean empty) {
                super.updateItem(file, empty);
                setText(empty || file == null ? null : AttachmentsModel.describe(file));
            }
        });
        showWhen(composeAttachments, Bindings.isNotEmpty(attachments.files()));
        composeRemoveAttachment.disableProperty().bind(composeAttachments.getSelectionModel().selectedItemProperty().isNull());
        composeAttachmentsTotal.textProperty().bind(attachments.totalProperty());
        showError(Field.ATTACHMENTS, composeAttachments, composeAttachmentsError);
    }

    private static void showWhen(Node node, ObservableBooleanValue shown) {
        node.visibleProperty().bind(shown);
        node.managedProperty().bind(node.visibleProperty());
    }

    private Node[] inputsOf(Schedule schedule) {
        return switch (schedule) {
            case NOW -> new Node[0];
            case AT -> new Node[] {composeAtDate, composeAtTime};
            case AFTER -> new Node[] {composeDelayAmount};
            case CRON -> new Node[] {composeCron};
        };
    }

    private void showError(Field field, Node input, Label label) {
        label.textProperty().bind(model.errorProperty(field));
        label.visibleProperty().bind(model.errorProperty(field).isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
        if (input != label) {
            model.errorProperty(field).addListener((obs, old, message) -> markInvalid(new Node[] {input}, !message.isEmpty()));
        }
    }

    private static void markInvalid(Node[] inputs, boolean invalid) {
        for (Node input : inputs) {
            input.pseudoClassStateChanged(Styles.INVALID, invalid);
        }
    }


    @FXML
    private void send() {
        model.send();
    }

    @FXML
    private void clear() {
        model.clear();
    }

    @FXML
    private void showJobs() {
        model.showQueuedJobs();
    }

    @FXML
    private void importCsv() {
        filePicker.openCsv(composeImportCsv.getScene().getWindow()).ifPresent(model::importCsv);
    }

    @FXML
    private void clearImport() {
        model.clearImport();
    }

    @FXML
    private void addAttachments() {
        model.addAttachments(filePicker.openAttachments(composeAttachments.getScene().getWindow()));
    }

    @FXML
    private void removeAttachment() {
        model.attachments().remove(composeAttachments.getSelectionModel().getSelectedItem());
    }

    @FXML
    private void saveTemplate() {
        model.saveTemplate();
    }

    @FXML
    private void deleteTemplate() {
        model.deleteTemplate();
    }

    @FXML
    private void previewPrevious() {
        model.preview().previous();
    }

    @FXML
    private void previewNext() {
        model.preview().next();
    }

    @FXML
    private void sendTest() {
        model.preview().sendTest();
    }
}
