package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.jobs.SurvivalReport;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.time.Instant;
import java.util.function.Function;

import static dev.jobdeck.ui.fx.TableCells.showText;

/**
 * {@code ReportIncidents.fxml}: the survival report's incidents, newest first, with the fate of each job the
 * selected one had in flight and every e-mail that may have arrived twice. A pane of the report, bound to
 * {@link ReportModel}.
 */
public final class ReportIncidentsController {

    private ReportModel model;

    @FXML private TableView<SurvivalReport.IncidentReport> incidentsTable;
    @FXML private TableColumn<SurvivalReport.IncidentReport, Instant> colIncidentTime;
    @FXML private TableColumn<SurvivalReport.IncidentReport, String> colIncidentHost;
    @FXML private TableColumn<SurvivalReport.IncidentReport, String> colIncidentAction;
    @FXML private TableColumn<SurvivalReport.IncidentReport, String> colIncidentInFlight;
    @FXML private TableColumn<SurvivalReport.IncidentReport, String> colIncidentDetected;
    @FXML private TableColumn<SurvivalReport.IncidentReport, String> colIncidentRequeued;
    @FXML private TableColumn<SurvivalReport.IncidentReport, String> colIncidentReplacement;
    @FXML private TableColumn<SurvivalReport.IncidentReport, String> colIncidentAllDone;
    @FXML private TableColumn<SurvivalReport.IncidentReport, String> colIncidentLost;
    @FXML private TableColumn<SurvivalReport.IncidentReport, String> colIncidentNote;
    @FXML private Label fatesTitle;
    @FXML private Tab reExecutedTab;
    @FXML private TableView<SurvivalReport.JobFate> fatesTable;
    @FXML private TableColumn<SurvivalReport.JobFate, String> colFateRecipient;
    @FXML private TableColumn<SurvivalReport.JobFate, Instant> colFateOrphaned;
    @FXML private TableColumn<SurvivalReport.JobFate, Instant> colFateRanAgain;
    @FXML private TableColumn<SurvivalReport.JobFate, String> colFateRanOn;
    @FXML private TableColumn<SurvivalReport.JobFate, String> colFateState;
    @FXML private TableColumn<SurvivalReport.JobFate, Instant> colFateFinished;
    @FXML private TableView<SurvivalReport.ReExecution> reExecutionsTable;
    @FXML private TableColumn<SurvivalReport.ReExecution, String> colReRecipient;
    @FXML private TableColumn<SurvivalReport.ReExecution, String> colReMessageId;
    @FXML private TableColumn<SurvivalReport.ReExecution, String> colReHost;
    @FXML private TableColumn<SurvivalReport.ReExecution, Instant> colReAt;
    @FXML private TableColumn<SurvivalReport.ReExecution, String> colReAttempts;
    @FXML private TableColumn<SurvivalReport.ReExecution, String> colReSent;

    void bind(ReportModel report) {
        this.model = report;
        bindIncidents();
        bindFates();
        bindReExecutions();
    }

    private void bindIncidents() {
        incidentsTable.setItems(model.incidents());
        incidentsTable.setPlaceholder(new Label("No incidents yet. Crash, recycle or restart a host on the Hosts tab."));
        preciseTime(colIncidentTime, SurvivalReport.IncidentReport::happenedAt);
        showText(colIncidentHost, SurvivalReport.IncidentReport::host);
        showText(colIncidentAction, incident -> HostTexts.action(incident.action()));
        showText(colIncidentInFlight, incident -> Integer.toString(incident.jobs().size()));
        showText(colIncidentDetected, HostTexts::detectedAfter);
        showText(colIncidentRequeued, incident -> incident.requeued() == null ? "" : Integer.toString(incident.requeued()));
        showText(colIncidentReplacement, incident -> incident.replacement() == null ? "" : incident.replacement());
        showText(colIncidentAllDone, HostTexts::allDoneAfter);
        showText(colIncidentLost, incident -> incident.lostEmails() == 0 ? "0" : HostTexts.number(incident.lostEmails()));
        showText(colIncidentNote, incident -> incident.note() == null ? "" : incident.note());
        colIncidentNote.setCellFactory(HostCells.longText());
        incidentsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        incidentsTable.getSelectionModel().selectedItemProperty().addListener((obs, old, incident) -> {
            if (!model.isReplacingIncidents()) {
                model.selectIncident(incident == null ? null : incident.id());
            }
        });
        model.incidents().addListener((ListChangeListener<SurvivalReport.IncidentReport>) change ->
                model.selected().ifPresent(incident -> incidentsTable.getSelectionModel().select(incident)));
    }

    private void bindFates() {
        fatesTitle.textProperty().bind(model.fatesTitleProperty());
        fatesTable.setItems(model.fates());
        fatesTable.setPlaceholder(new Label("No jobs to show"));
        showText(colFateRecipient, fate -> fate.recipient() == null ? "" : fate.recipient());
        preciseTime(colFateOrphaned, SurvivalReport.JobFate::orphanedAt);
        preciseTime(colFateRanAgain, SurvivalReport.JobFate::ranAgainAt);
        showText(colFateRanOn, fate -> fate.ranAgainOn() == null ? "" : fate.ranAgainOn());
        showText(colFateState, fate -> fate.finalState() == null ? "" : fate.finalState());
        preciseTime(colFateFinished, SurvivalReport.JobFate::finishedAt);
        fatesTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    private void bindReExecutions() {
        reExecutedTab.textProperty().bind(model.reExecutedTitleProperty());
        reExecutionsTable.setItems(model.reExecutions());
        reExecutionsTable.setPlaceholder(new Label("No e-mail was accepted twice or cut off mid-send and tried again: none can have arrived twice."));
        showText(colReRecipient, again -> again.recipient() == null ? "" : again.recipient());
        showText(colReMessageId, again -> again.messageId() == null ? "" : again.messageId());
        showText(colReHost, again -> again.interruptedOn() == null ? "" : again.interruptedOn());
        preciseTime(colReAt, SurvivalReport.ReExecution::interruptedAt);
        showText(colReAttempts, again -> Integer.toString(again.attempts()));
        showText(colReSent, again -> again.sent() + (again.certain() ? " · twice" : " · in doubt"));
        reExecutionsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    private <S> void preciseTime(TableColumn<S, Instant> column, Function<S, Instant> getter) {
        Bind.preciseTime(column, getter, model::zone, model::now);
    }
}
