package dev.jobdeck.ui.hosts;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;

import static dev.jobdeck.ui.hosts.Bind.figure;
import static dev.jobdeck.ui.hosts.Bind.markLoss;

/**
 * {@code Report.fxml}, the survival report: the ledger of JobRunr's jobs next to the in-memory queue's, its
 * export, and the incidents ({@code ReportIncidents.fxml}). A pane of the Hosts screen, bound to {@link ReportModel}.
 */
public final class ReportController {

    private ReportModel model;

    @FXML private VBox survivalReport;
    @FXML private Label reportGenerated;
    @FXML private Button exportReport;
    @FXML private Label ledgerAccepted;
    @FXML private Label ledgerDelivered;
    @FXML private Label ledgerFailed;
    @FXML private Label ledgerPending;
    @FXML private Label ledgerLost;
    @FXML private VBox ledgerLostTile;
    @FXML private Label ledgerReExecuted;
    @FXML private Label ledgerNote;
    @FXML private Label memoryHandedOver;
    @FXML private Label memorySent;
    @FXML private Label memoryPending;
    @FXML private Label memoryLost;
    @FXML private VBox memoryLostTile;
    @FXML private ReportIncidentsController incidentsController;

    void bind(ReportModel report) {
        this.model = report;
        reportGenerated.textProperty().bind(report.generatedProperty());
        exportReport.disableProperty().bind(report.busyProperty());
        figure(ledgerAccepted, report.acceptedProperty());
        figure(ledgerDelivered, report.deliveredProperty());
        figure(ledgerFailed, report.failedProperty());
        figure(ledgerPending, report.pendingProperty());
        figure(ledgerLost, report.lostProperty());
        figure(ledgerReExecuted, report.reExecutedProperty());
        ledgerNote.textProperty().bind(report.ledgerNoteProperty());
        figure(memoryHandedOver, report.memoryHandedOverProperty());
        figure(memorySent, report.memorySentProperty());
        figure(memoryPending, report.memoryPendingProperty());
        figure(memoryLost, report.memoryLostProperty());
        markLoss(ledgerLostTile, report.lostProperty());
        markLoss(memoryLostTile, report.memoryLostProperty());
        incidentsController.bind(report);
    }

    @FXML
    private void exportReport() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the survival report");
        chooser.setInitialFileName("jobdeck-survival-report.json");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        File file = chooser.showSaveDialog(survivalReport.getScene().getWindow());
        if (file != null) {
            model.exportReport(file.toPath());
        }
    }
}
