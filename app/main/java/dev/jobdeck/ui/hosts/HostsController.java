package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.ui.ChoiceLabels;
import dev.jobdeck.ui.Refresher;
import dev.jobdeck.ui.Styles;
import dev.jobdeck.ui.WhileShown;
import dev.jobdeck.ui.hosts.HostsModel.Field;
import dev.jobdeck.ui.hosts.HostsModel.StartKind;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tab;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import java.io.File;
import java.time.Instant;
import java.util.function.Function;


/** The Hosts screen: binds {@link HostsModel} and its {@link ReportModel} to the nodes of {@code Hosts.fxml}. */
public final class HostsController {

    private final HostsModel model;
    private final Refresher refresher;
    private ObservableValue<Boolean> shown;

    @FXML private VBox root;
    @FXML private Label hostCount;
    @FXML private Button crashAll;
    @FXML private ToggleButton chaosToggle;
    @FXML private TextField chaosSeconds;
    @FXML private Label chaosStatus;
    @FXML private Label chaosError;
    @FXML private Label hostsMessage;
    @FXML private Spinner<Integer> startCount;
    @FXML private ComboBox<StartKind> startKind;
    @FXML private TextField workersEach;
    @FXML private Button startHosts;
    @FXML private TextField batchSize;
    @FXML private Button sendTestBatch;
    @FXML private Label workersError;
    @FXML private Label batchError;
    @FXML private TableView<HostStatus> hostsTable;
    @FXML private TableColumn<HostStatus, String> colName;
    @FXML private TableColumn<HostStatus, String> colKind;
    @FXML private TableColumn<HostStatus, String> colMachine;
    @FXML private TableColumn<HostStatus, String> colPid;
    @FXML private TableColumn<HostStatus, HostStatus.State> colState;
    @FXML private TableColumn<HostStatus, Instant> colStarted;
    @FXML private TableColumn<HostStatus, Instant> colHeartbeat;
    @FXML private TableColumn<HostStatus, String> colJobs;
    @FXML private TableColumn<HostStatus, String> colCpu;
    @FXML private TableColumn<HostStatus, String> colMemory;
    @FXML private TableColumn<HostStatus, String> colStopReason;
    @FXML private Label selectionText;
    @FXML private Button crashHost;
    @FXML private Button restartHost;
    @FXML private Button recycleHost;
    @FXML private Button drainHost;
    @FXML private Button stopHost;
    @FXML private TextField recycleDeadline;
    @FXML private Label recycleError;
    @FXML private Label expectedSeen;
    @FXML private Label expectedUnseen;
    @FXML private Label measured;
    @FXML private TextField pollSeconds;
    @FXML private Label pollError;
    @FXML private TextField multiplicand;
    @FXML private Label multiplicandError;
    @FXML private Button saveTiming;
    @FXML private Label handedBack;
    @FXML private Label compareJobsAccepted;
    @FXML private Label compareJobsSent;
    @FXML private Label compareJobsLost;
    @FXML private Label compareMemoryAccepted;
    @FXML private Label compareMemorySent;
    @FXML private Label compareMemoryLost;
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

    public HostsController(HostsModel model, Refresher refresher) {
        this.model = model;
        this.refresher = refresher;
    }

    @FXML
    private void initialize() {
        bindBanner();
        bindStart();
        bindHostsTable();
        bindActions();
        bindTiming();
        bindReport();
        bindLiveness();
    }

    // Handlers

    @FXML
    private void startHosts() {
        model.startHosts();
    }

    @FXML
    private void sendTestBatch() {
        model.sendTestBatch();
    }

    @FXML
    private void crashHost() {
        model.crashSelected();
    }

    @FXML
    private void restartHost() {
        model.restartSelected();
    }

    @FXML
    private void recycleHost() {
        model.recycleSelected();
    }

    @FXML
    private void drainHost() {
        model.drainSelected();
    }

    @FXML
    private void stopHost() {
        model.stopSelected();
    }

    @FXML
    private void crashAll() {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, model.crashAllQuestion(), ButtonType.OK, ButtonType.CANCEL);
        alert.setHeaderText(null);
        alert.initOwner(root.getScene().getWindow());
        if (alert.showAndWait().filter(ButtonType.OK::equals).isPresent()) {
            model.crashAll();
        }
    }

    @FXML
    private void toggleChaos() {
        boolean wanted = chaosToggle.isSelected();
        // The button shows what is running, not what was asked for: the model sets it once chaos did start or stop.
        chaosToggle.setSelected(model.chaosOnProperty().get());
        model.setChaos(wanted);
    }

    @FXML
    private void saveTiming() {
        model.saveTiming();
    }

    @FXML
    private void exportReport() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the survival report");
        chooser.setInitialFileName("jobdeck-survival-report.json");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        File file = chooser.showSaveDialog(root.getScene().getWindow());
        if (file != null) {
            model.exportReport(file.toPath());
        }
    }

    // Wiring

    private void bindBanner() {
        Styles.bindBanner(hostsMessage, model.banner());
        hostCount.textProperty().bind(model.hostCountProperty());
    }


    private void bindStart() {
        SpinnerValueFactory.IntegerSpinnerValueFactory counts =
                new SpinnerValueFactory.IntegerSpinnerValueFactory(1, HostsModel.MAX_START, 1);
        startCount.setValueFactory(counts);
        counts.valueProperty().bindBidirectional(model.startCountProperty());
        startKind.getItems().setAll(model.startKinds());
        startKind.setConverter(ChoiceLabels.of(StartKind::label));
        startKind.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(StartKind kind, boolean empty) {
                super.updateItem(kind, empty);
                setText(empty || kind == null ? null : kind.shortLabel());
            }
        });
        startKind.valueProperty().bindBidirectional(model.startKindProperty());
        field(workersEach, model.workersEachProperty(), workersError, Field.WORKERS);
        field(batchSize, model.batchSizeProperty(), batchError, Field.BATCH_SIZE);
        sendTestBatch.textProperty().bind(model.batchTargetProperty());
        startHosts.disableProperty().bind(model.busyProperty());
        sendTestBatch.disableProperty().bind(model.busyProperty());
        workersEach.setOnAction(event -> model.startHosts());
        batchSize.setOnAction(event -> model.sendTestBatch());
    }

    private void bindHostsTable() {
        hostsTable.setItems(model.rows());
        hostsTable.setPlaceholder(new Label("No hosts yet: the console's own host appears when it starts."));
        text(colName, HostStatus::name);
        text(colKind, host -> HostTexts.kind(host.kind()));
        // One column for both, so the table's columns fit a 1440-pixel window with the stop reason in view.
        text(colMachine, host -> HostTexts.machine(host.machine(), host.address()));
        text(colPid, host -> host.pid() == null ? "" : Long.toString(host.pid()));
        value(colState, HostStatus::state);
        colState.setCellFactory(column -> HostCells.stateChip());
        value(colStarted, HostStatus::startedAt);
        colStarted.setCellFactory(column -> HostCells.time(model::zone, model::now));
        value(colHeartbeat, HostStatus::lastHeartbeat);
        colHeartbeat.setCellFactory(column -> HostCells.time(model::zone, model::now));
        // Jobs running of the host's workers in one column, so every column fits a 1440-pixel window unclipped.
        text(colJobs, host -> host.isLive() ? host.processing() + " of " + host.workers() : "");
        text(colCpu, host -> HostTexts.cpu(host.cpuPercent()));
        text(colMemory, host -> HostTexts.memory(host.memoryBytes()));
        text(colStopReason, host -> host.isLive() || host.stopReason() == null ? "" : host.stopReason());
        colStopReason.setCellFactory(column -> HostCells.longText());
        hostsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        hostsTable.getSelectionModel().selectedItemProperty().addListener((obs, old, host) -> {
            if (!model.isReplacingRows()) {
                model.selectHost(host == null ? null : host.id());
            }
        });
        // Runs after the table reacted to new rows (it drops its selection): select the same host again.
        model.rows().addListener((ListChangeListener<HostStatus>) change -> model.selectedHostId().flatMap(id ->
                model.rows().stream().filter(row -> row.id().equals(id)).findFirst())
                .ifPresent(row -> hostsTable.getSelectionModel().select(row)));
    }

    private void bindActions() {
        selectionText.textProperty().bind(model.selectionTextProperty());
        crashHost.disableProperty().bind(model.canCrashProperty().not().or(model.busyProperty()));
        restartHost.disableProperty().bind(model.canStopProperty().not().or(model.busyProperty()));
        recycleHost.disableProperty().bind(model.canStopProperty().not().or(model.busyProperty()));
        drainHost.disableProperty().bind(model.canCommandProperty().not().or(model.busyProperty()));
        stopHost.disableProperty().bind(model.canCommandProperty().not().or(model.busyProperty()));
        field(recycleDeadline, model.recycleDeadlineProperty(), recycleError, Field.RECYCLE_DEADLINE);
        crashAll.disableProperty().bind(model.busyProperty());
        field(chaosSeconds, model.chaosSecondsProperty(), chaosError, Field.CHAOS_INTERVAL);
        chaosStatus.textProperty().bind(model.chaosTextProperty());
        model.chaosOnProperty().addListener((obs, old, on) -> chaosToggle.setSelected(on));
        chaosToggle.setSelected(model.chaosOnProperty().get());
        chaosSeconds.disableProperty().bind(model.chaosOnProperty());
    }

    private void bindTiming() {
        expectedSeen.textProperty().bind(model.expectedSeenProperty());
        expectedUnseen.textProperty().bind(model.expectedUnseenProperty());
        measured.textProperty().bind(model.measuredProperty());
        field(pollSeconds, model.pollSecondsProperty(), pollError, Field.POLL);
        field(multiplicand, model.multiplicandProperty(), multiplicandError, Field.MULTIPLICAND);
        saveTiming.disableProperty().bind(model.busyProperty());
        pollSeconds.setOnAction(event -> model.saveTiming());
        multiplicand.setOnAction(event -> model.saveTiming());
        handedBack.textProperty().bind(model.handedBackProperty());
        ReportModel report = model.report();
        figure(compareJobsAccepted, report.acceptedProperty());
        figure(compareJobsSent, report.deliveredProperty());
        figure(compareJobsLost, report.lostProperty());
        figure(compareMemoryAccepted, report.memoryHandedOverProperty());
        figure(compareMemorySent, report.memorySentProperty());
        figure(compareMemoryLost, report.memoryLostProperty());
        markLoss(compareJobsLost, report.lostProperty());
        markLoss(compareMemoryLost, report.memoryLostProperty());
    }

    private void bindReport() {
        ReportModel report = model.report();
        reportGenerated.textProperty().bind(report.generatedProperty());
        exportReport.disableProperty().bind(model.busyProperty());
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

        incidentsTable.setItems(report.incidents());
        incidentsTable.setPlaceholder(new Label("No incidents yet. Crash, recycle or restart a host on the Hosts tab."));
        value(colIncidentTime, SurvivalReport.IncidentReport::happenedAt);
        colIncidentTime.setCellFactory(column -> HostCells.formatted(at -> HostTexts.precise(at, model.zone(), model.now())));
        text(colIncidentHost, SurvivalReport.IncidentReport::host);
        text(colIncidentAction, incident -> HostTexts.action(incident.action()));
        text(colIncidentInFlight, incident -> Integer.toString(incident.jobs().size()));
        text(colIncidentDetected, HostTexts::detectedAfter);
        text(colIncidentRequeued, incident -> incident.requeued() == null ? "" : Integer.toString(incident.requeued()));
        text(colIncidentReplacement, incident -> incident.replacement() == null ? "" : incident.replacement());
        text(colIncidentAllDone, HostTexts::allDoneAfter);
        text(colIncidentLost, incident -> incident.lostEmails() == 0 ? "0" : HostTexts.number(incident.lostEmails()));
        text(colIncidentNote, incident -> incident.note() == null ? "" : incident.note());
        colIncidentNote.setCellFactory(column -> HostCells.longText());
        incidentsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        incidentsTable.getSelectionModel().selectedItemProperty().addListener((obs, old, incident) -> {
            if (!report.isReplacingIncidents()) {
                report.selectIncident(incident == null ? null : incident.id());
            }
        });
        report.incidents().addListener((ListChangeListener<SurvivalReport.IncidentReport>) change ->
                report.selected().ifPresent(incident -> incidentsTable.getSelectionModel().select(incident)));

        fatesTitle.textProperty().bind(report.fatesTitleProperty());
        fatesTable.setItems(report.fates());
        fatesTable.setPlaceholder(new Label("No jobs to show"));
        text(colFateRecipient, fate -> fate.recipient() == null ? "" : fate.recipient());
        preciseTime(colFateOrphaned, SurvivalReport.JobFate::orphanedAt);
        preciseTime(colFateRanAgain, SurvivalReport.JobFate::ranAgainAt);
        text(colFateRanOn, fate -> fate.ranAgainOn() == null ? "" : fate.ranAgainOn());
        text(colFateState, fate -> fate.finalState() == null ? "" : fate.finalState());
        preciseTime(colFateFinished, SurvivalReport.JobFate::finishedAt);
        fatesTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        reExecutedTab.textProperty().bind(report.reExecutedTitleProperty());
        reExecutionsTable.setItems(report.reExecutions());
        reExecutionsTable.setPlaceholder(new Label("No e-mail was accepted twice or cut off mid-send and tried again: none can have arrived twice."));
        text(colReRecipient, again -> again.recipient() == null ? "" : again.recipient());
        text(colReMessageId, again -> again.messageId() == null ? "" : again.messageId());
        text(colReHost, again -> again.interruptedOn() == null ? "" : again.interruptedOn());
        preciseTime(colReAt, SurvivalReport.ReExecution::interruptedAt);
        text(colReAttempts, again -> Integer.toString(again.attempts()));
        text(colReSent, again -> again.sent() + (again.certain() ? " · twice" : " · in doubt"));
        reExecutionsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    /** Reads live while the screen is in a showing window; the shell removes hidden screens from the scene. */
    private void bindLiveness() {
        shown = WhileShown.run(root, () -> model.startLive(refresher, Platform::runLater), model::stopLive);
    }


    private void field(TextField input, StringProperty value, Label error, Field field) {
        input.textProperty().bindBidirectional(value);
        error.textProperty().bind(model.errorProperty(field));
        error.visibleProperty().bind(model.errorProperty(field).isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        model.errorProperty(field).addListener((obs, old, message) ->
                input.pseudoClassStateChanged(Styles.INVALID, !message.isEmpty()));
    }

    private static void figure(Label label, ReadOnlyLongProperty value) {
        label.textProperty().bind(Bindings.createStringBinding(() -> HostTexts.number(value.get()), value));
    }

    private static void markLoss(Node tile, ReadOnlyLongProperty lost) {
        lost.addListener((obs, old, count) -> tile.pseudoClassStateChanged(Styles.LOSS, count.longValue() > 0));
    }

    private <S> void preciseTime(TableColumn<S, Instant> column, Function<S, Instant> getter) {
        value(column, getter);
        column.setCellFactory(c -> HostCells.formatted(at -> HostTexts.precise(at, model.zone(), model.now())));
    }

    private static <S> void text(TableColumn<S, String> column, Function<S, String> getter) {
        column.setCellValueFactory(cell -> Bindings.createStringBinding(() -> getter.apply(cell.getValue())));
    }

    private static <S, T> void value(TableColumn<S, T> column, Function<S, T> getter) {
        column.setCellValueFactory(cell -> Bindings.createObjectBinding(() -> getter.apply(cell.getValue())));
    }
}
