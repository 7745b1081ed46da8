package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.ui.fx.FilePicker;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.function.Function;

import static dev.jobdeck.ui.compose.FormBindings.showError;
import static dev.jobdeck.ui.compose.FormBindings.showWhen;

/** Binds From, To (with the CSV import), Cc and Bcc to the {@link RecipientsModel} it is shown. */
public final class ComposeRecipientsController {

    private final FilePicker filePicker;
    private RecipientsModel model;

    @FXML private Label composeToLabel;
    @FXML private TextField composeFrom;
    @FXML private TextArea composeTo;
    @FXML private TextField composeCc;
    @FXML private TextField composeBcc;
    @FXML private Label composeFromError;
    @FXML private Label composeToError;
    @FXML private Label composeCcError;
    @FXML private Label composeBccError;
    @FXML private Label composeRecipientCount;
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

    public ComposeRecipientsController(FilePicker filePicker) {
        this.filePicker = filePicker;
    }

    /** Called by the Compose screen once loaded, with this pane's model and the form's problem of each field. */
    void show(RecipientsModel recipients, Function<Field, ObservableStringValue> errors) {
        model = recipients;
        // Alt+T jumps to To, however many controls the form has before it.
        composeToLabel.setLabelFor(composeTo);
        composeFrom.textProperty().bindBidirectional(model.fromProperty());
        composeTo.textProperty().bindBidirectional(model.toProperty());
        composeCc.textProperty().bindBidirectional(model.ccProperty());
        composeBcc.textProperty().bindBidirectional(model.bccProperty());
        composeRecipientCount.textProperty().bind(model.recipientCountProperty());
        showError(errors.apply(Field.FROM), composeFrom, composeFromError);
        showError(errors.apply(Field.TO), composeTo, composeToError);
        showError(errors.apply(Field.CC), composeCc, composeCcError);
        showError(errors.apply(Field.BCC), composeBcc, composeBccError);
        bindCsvImport(model.csvImport());
    }

    private void bindCsvImport(CsvImportModel csv) {
        showWhen(composeTo, csv.activeProperty().not());
        showWhen(composeCsvProgressRow, csv.readingProperty());
        composeCsvProgress.progressProperty().bind(csv.progressProperty());
        composeCsvProgressText.textProperty().bind(csv.progressTextProperty());
        composeCsvProblem.textProperty().bind(csv.problemProperty());
        showWhen(composeCsvProblem, csv.problemProperty().isNotEmpty());
        composeCsvColumn.setItems(csv.columnChoices());
        showWhen(composeCsvColumnRow, Bindings.isNotEmpty(csv.columnChoices()));
        composeCsvColumn.setOnAction(event -> csv.chooseColumn(composeCsvColumn.getValue()));
        showWhen(composeCsvBox, csv.activeProperty());
        composeCsvFile.textProperty().bind(csv.fileNameProperty());
        composeCsvSummary.textProperty().bind(csv.summaryProperty());
        composeCsvIncludeDuplicates.selectedProperty().bindBidirectional(csv.includeDuplicatesProperty());
        showWhen(composeCsvIncludeDuplicates, csv.duplicateCountProperty().greaterThan(0));
        composeCsvErrors.setItems(csv.rowProblems());
        showWhen(composeCsvErrors, Bindings.isNotEmpty(csv.rowProblems()));
        composeImportCsv.disableProperty().bind(csv.readingProperty());
    }

    @FXML
    private void importCsv() {
        filePicker.openCsv(composeImportCsv.getScene().getWindow()).ifPresent(model::importCsv);
    }

    @FXML
    private void clearImport() {
        model.clearImport();
    }
}
