package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobDetail;
import dev.jobdeck.core.jobs.JobRecipient;
import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.jobs.JobSort;
import dev.jobdeck.core.jobs.RecipientStatus;
import dev.jobdeck.core.jobs.ReplyStatus;
import dev.jobdeck.core.jobs.RecurringEmail;
import dev.jobdeck.core.jobs.RecipientStatus;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.ui.Navigation;
import dev.jobdeck.ui.Refresher;
import dev.jobdeck.ui.Styles;
import dev.jobdeck.ui.WhileShown;
import javafx.application.Platform;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.animation.PauseTransition;
import javafx.fxml.FXML;
import javafx.util.Duration;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Tab;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.control.TextArea;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.jobrunr.jobs.states.StateName;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;


/** The Jobs dashboard view: binds {@link JobsModel} to the nodes of {@code Jobs.fxml}. */
public final class JobsController {

    private final JobsModel model;
    private final Refresher refresher;
    private ObservableValue<Boolean> shown;
    private final Navigation navigation;

    @FXML private VBox root;
    @FXML private Label jobsMessage;
    @FXML private Button restartHost;
    @FXML private Tab recurringTab;
    @FXML private VBox cardScheduled;
    @FXML private VBox cardEnqueued;
    @FXML private VBox cardProcessing;
    @FXML private VBox cardSucceeded;
    @FXML private VBox cardFailed;
    @FXML private VBox cardDeleted;
    @FXML private Label countScheduled;
    @FXML private Label countEnqueued;
    @FXML private Label countProcessing;
    @FXML private Label countSucceeded;
    @FXML private Label countFailed;
    @FXML private Label countDeleted;
    @FXML private ComboBox<Optional<StateName>> stateFilter;
    @FXML private TextField searchField;
    @FXML private Label searchProblem;
    @FXML private Button retrySelected;
    @FXML private Button deleteSelected;
    @FXML private TableView<JobRow> jobsTable;
    @FXML private TableColumn<JobRow, String> colRecipient;
    @FXML private TableColumn<JobRow, String> colSubject;
    @FXML private TableColumn<JobRow, StateName> colState;
    @FXML private TableColumn<JobRow, Integer> colAttempts;
    @FXML private TableColumn<JobRow, String> colHost;
    @FXML private TableColumn<JobRow, Instant> colUpdated;
    @FXML private TableColumn<JobRow, RecipientStatus> colDelivery;
    @FXML private TableColumn<JobRow, JobRow> colReplyCode;
    @FXML private TableColumn<JobRow, String> colReply;
    @FXML private Button previousPage;
    @FXML private Button nextPage;
    @FXML private Button firstPage;
    @FXML private Button lastPage;
    @FXML private Label pageLabel;
    @FXML private Label detailTitle;
    @FXML private Button retryJob;
    @FXML private GridPane detailFields;
    @FXML private TableView<JobDetail.StateChange> historyTable;
    @FXML private TableColumn<JobDetail.StateChange, String> colHistoryState;
    @FXML private TableColumn<JobDetail.StateChange, Instant> colHistoryTime;
    @FXML private TableColumn<JobDetail.StateChange, String> colHistoryNote;
    @FXML private Label failureSummary;
    @FXML private TextArea stackTrace;
    @FXML private TableView<JobRecipient> recipientsTable;
    @FXML private TableColumn<JobRecipient, String> colRecipientAddress;
    @FXML private TableColumn<JobRecipient, String> colRecipientStatus;
    @FXML private TableColumn<JobRecipient, Integer> colRecipientAttempts;
    @FXML private TableColumn<JobRecipient, String> colRecipientReply;
    @FXML private TableColumn<JobRecipient, String> colRecipientOwnJob;
    @FXML private TableView<DeliveryAttempt> attemptsTable;
    @FXML private TableColumn<DeliveryAttempt, Integer> colAttemptNo;
    @FXML private TableColumn<DeliveryAttempt, String> colAttemptHost;
    @FXML private TableColumn<DeliveryAttempt, Instant> colAttemptStarted;
    @FXML private TableColumn<DeliveryAttempt, Instant> colAttemptFinished;
    @FXML private TableColumn<DeliveryAttempt, DeliveryAttempt.Outcome> colAttemptOutcome;
    @FXML private TableColumn<DeliveryAttempt, DeliveryAttempt> colAttemptCode;
    @FXML private TableColumn<DeliveryAttempt, String> colAttemptReply;
    @FXML private TableView<RecurringEmail> recurringTable;
    @FXML private TableColumn<RecurringEmail, String> colRecurringId;
    @FXML private TableColumn<RecurringEmail, String> colRecurringRecipient;
    @FXML private TableColumn<RecurringEmail, String> colRecurringSubject;
    @FXML private TableColumn<RecurringEmail, String> colRecurringCron;
    @FXML private TableColumn<RecurringEmail, Instant> colRecurringNext;
    @FXML private Button triggerNow;
    @FXML private Button deleteRecurring;
    @FXML private BulkActionController bulkController;

    public JobsController(JobsModel model, Refresher refresher, Navigation navigation) {
        this.model = model;
        this.refresher = refresher;
        this.navigation = navigation;
    }

    @FXML
    private void initialize() {
        bindBanner();
        bindCards();
        bindFilter();
        bindJobsTable();
        bindDetail();
        bindRecurring();
        bindLiveness();
        bulkController.attach(model);
    }

    // Handlers

    @FXML
    private void filterByCard(MouseEvent event) {
        model.toggleFilter(StateName.valueOf((String) ((Node) event.getSource()).getUserData()));
    }

    @FXML
    private void retrySelected() {
        model.retrySelected();
    }

    @FXML
    private void deleteSelected() {
        if (model.deleteQuestion().map(this::confirm).orElse(true)) {
            model.deleteSelected();
        }
    }

    @FXML
    private void restartHost() {
        model.restartHost();
    }

    @FXML
    private void previousPage() {
        model.previousPage();
    }

    @FXML
    private void nextPage() {
        model.nextPage();
    }

    @FXML
    private void firstPage() {
        model.firstPage();
    }

    @FXML
    private void lastPage() {
        model.lastPage();
    }

    @FXML
    private void retryJob() {
        model.retryShownJob();
    }

    @FXML
    private void triggerNow() {
        model.recurring().triggerNow();
    }

    @FXML
    private void deleteRecurring() {
        if (model.recurring().deleteQuestion().map(this::confirm).orElse(false)) {
            model.recurring().deleteSelected();
        }
    }

    private boolean confirm(String question) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.OK, ButtonType.CANCEL);
        alert.setHeaderText(null);
        alert.initOwner(root.getScene().getWindow());
        return alert.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }

    // Wiring

    private void bindBanner() {
        Styles.bindBanner(jobsMessage, model.banner());
        restartHost.disableProperty().bind(model.busyProperty());
    }


    private void bindCards() {
        Map<StateName, VBox> cards = Map.of(StateName.SCHEDULED, cardScheduled, StateName.ENQUEUED, cardEnqueued,
                StateName.PROCESSING, cardProcessing, StateName.SUCCEEDED, cardSucceeded,
                StateName.FAILED, cardFailed, StateName.DELETED, cardDeleted);
        Map<StateName, Label> counts = Map.of(StateName.SCHEDULED, countScheduled, StateName.ENQUEUED, countEnqueued,
                StateName.PROCESSING, countProcessing, StateName.SUCCEEDED, countSucceeded,
                StateName.FAILED, countFailed, StateName.DELETED, countDeleted);
        cards.forEach((state, card) -> {
            Styles.showState(card, state);
            counts.get(state).textProperty().bind(model.countProperty(state));
        });
        model.filterProperty().addListener((obs, old, filter) -> markFilterCard(cards, filter));
    }

    private static void markFilterCard(Map<StateName, VBox> cards, Optional<StateName> filter) {
        cards.forEach((state, card) -> card.pseudoClassStateChanged(Styles.SELECTED, filter.equals(Optional.of(state))));
    }

    private void bindFilter() {
        stateFilter.getItems().setAll(model.filterChoices());
        stateFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(Optional<StateName> state) {
                return JobsModel.filterTitle(state);
            }

            @Override
            public Optional<StateName> fromString(String text) {
                throw new UnsupportedOperationException("the state filter is not editable");
            }
        });
        stateFilter.setValue(model.filterProperty().get());
        stateFilter.valueProperty().addListener((obs, old, state) -> model.setFilter(state));
        model.filterProperty().addListener((obs, old, state) -> stateFilter.setValue(state));
        // Another screen may have asked for a filter before this one was first loaded.
        navigation.jobsFilterRequestProperty().addListener((obs, old, state) -> model.setFilter(state));
        model.setFilter(navigation.jobsFilterRequestProperty().get());
        // Searched once typing pauses, not at every key: each search is a query on the store.
        PauseTransition typing = new PauseTransition(Duration.millis(300));
        typing.setOnFinished(event -> model.setSearch(searchField.getText()));
        searchField.textProperty().addListener((obs, old, text) -> typing.playFromStart());
        searchProblem.textProperty().bind(model.searchProblemProperty());
        searchProblem.visibleProperty().bind(model.searchProblemProperty().isNotEmpty());
        searchProblem.managedProperty().bind(searchProblem.visibleProperty());
        model.searchProblemProperty().addListener((obs, old, problem) ->
                searchField.pseudoClassStateChanged(Styles.INVALID, !problem.isEmpty()));
        // Ctrl+F (Cmd+F) goes to the search box while this screen is the one shown.
        KeyCombination find = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
        searchField.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(find, () -> {
                    if (searchField.getScene() == scene && searchField.isVisible()) {
                        searchField.requestFocus();
                        searchField.selectAll();
                    }
                });
            }
        });
    }

    private void bindJobsTable() {
        jobsTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        jobsTable.setItems(model.rows());
        Label placeholder = new Label();
        placeholder.setId("jobsEmpty");
        placeholder.setWrapText(true);
        placeholder.textProperty().bind(model.emptyTextProperty());
        jobsTable.setPlaceholder(placeholder);
        bindSorting();
        text(colRecipient, JobRow::recipient);
        text(colSubject, JobRow::subject);
        value(colState, JobRow::state);
        colState.setCellFactory(column -> JobCells.stateBadge());
        value(colAttempts, JobRow::attempts);
        text(colHost, JobRow::host);
        value(colUpdated, JobRow::updatedAt);
        colUpdated.setCellFactory(column -> JobCells.time(model::zone, model::now));
        value(colDelivery, JobRow::recipientStatus);
        colDelivery.setCellFactory(column -> JobCells.recipientStatus());
        value(colReplyCode, row -> row);
        colReplyCode.setCellFactory(column -> JobCells.replyStatus(JobRow::lastCode, JobRow::lastReply));
        // The code and enhanced status have their own column; this one says the rest of the reply.
        text(colReply, row -> ReplyStatus.withoutStatus(row.lastReply()));
        jobsTable.getSelectionModel().getSelectedItems().addListener((Observable o) -> selectionChanged());
        // Runs after the table has reacted to new rows (it drops its selection): select the same jobs again.
        model.rows().addListener((ListChangeListener<JobRow>) change -> reselect());
        retrySelected.disableProperty().bind(model.canRetryProperty().not().or(model.busyProperty()));
        deleteSelected.disableProperty().bind(model.canDeleteProperty().not().or(model.busyProperty()));
        previousPage.disableProperty().bind(model.hasPreviousProperty().not());
        nextPage.disableProperty().bind(model.hasNextProperty().not());
        firstPage.disableProperty().bind(model.hasPreviousProperty().not());
        lastPage.disableProperty().bind(model.hasNextProperty().not());
        pageLabel.textProperty().bind(model.pageTextProperty());
    }

    /**
     * The store sorts (by an index, decisions 25 and 30): a header click asks the model for the first page in that
     * order (a second click reverses it) and the table keeps the rows as they come. Only columns with an index behind
     * them are sortable in Jobs.fxml (Delivery follows the job's state and is not).
     */
    private void bindSorting() {
        Map<TableColumn<JobRow, ?>, JobSort> sorts = Map.of(colUpdated, JobSort.UPDATED, colState, JobSort.STATE,
                colRecipient, JobSort.RECIPIENT, colSubject, JobSort.SUBJECT, colAttempts, JobSort.TRIES,
                colHost, JobSort.HOST, colReplyCode, JobSort.CODE, colReply, JobSort.REPLY);
        colUpdated.setSortType(TableColumn.SortType.DESCENDING);
        jobsTable.getSortOrder().setAll(java.util.List.of(colUpdated));
        jobsTable.setSortPolicy(table -> {
            TableColumn<JobRow, ?> first = table.getSortOrder().isEmpty() ? null : table.getSortOrder().get(0);
            JobSort sort = first == null ? JobSort.UPDATED : sorts.getOrDefault(first, JobSort.UPDATED);
            boolean descending = first == null || first.getSortType() == TableColumn.SortType.DESCENDING;
            model.sortBy(sort, descending);
            return true;
        });
    }

    private void selectionChanged() {
        JobRow focused = jobsTable.getSelectionModel().getSelectedItem();
        model.select(jobsTable.getSelectionModel().getSelectedItems().stream().map(JobRow::jobId).toList(),
                focused == null ? null : focused.jobId());
    }

    private void reselect() {
        Set<UUID> wanted = Set.copyOf(model.selectedIds());
        UUID focused = model.detail().jobId().orElse(null);
        jobsTable.getSelectionModel().clearSelection();
        for (int i = 0; i < model.rows().size(); i++) {
            UUID id = model.rows().get(i).jobId();
            if (wanted.contains(id) && !id.equals(focused)) {
                jobsTable.getSelectionModel().select(i);
            }
        }
        // The focused job last, so that it stays the table's selected item (and the detail's job).
        for (int i = 0; i < model.rows().size(); i++) {
            if (model.rows().get(i).jobId().equals(focused) && wanted.contains(focused)) {
                jobsTable.getSelectionModel().select(i);
            }
        }
    }

    private void bindDetail() {
        JobDetailModel detail = model.detail();
        detailTitle.textProperty().bind(detail.titleProperty());
        retryJob.disableProperty().bind(detail.retryableProperty().not().or(model.busyProperty()));
        detail.fields().addListener((Observable o) -> showFields(detail));
        historyTable.setItems(detail.history());
        historyTable.setPlaceholder(new Label("No job selected"));
        text(colHistoryState, JobDetail.StateChange::state);
        value(colHistoryTime, JobDetail.StateChange::at);
        colHistoryTime.setCellFactory(column -> JobCells.time(model::zone, model::now));
        text(colHistoryNote, JobDetail.StateChange::note);
        failureSummary.textProperty().bind(detail.failureSummaryProperty());
        stackTrace.textProperty().bind(detail.stackTraceProperty());
        recipientsTable.setItems(detail.recipients());
        recipientsTable.setPlaceholder(new Label("No job selected"));
        text(colRecipientAddress, JobRecipient::recipient);
        text(colRecipientStatus, recipient -> recipient.status().label());
        value(colRecipientAttempts, JobRecipient::attempts);
        text(colRecipientReply, JobRecipient::lastReply);
        text(colRecipientOwnJob, recipient -> recipient.ownJobId().map(UUID::toString).orElse(""));
        attemptsTable.setItems(detail.attempts());
        attemptsTable.setPlaceholder(new Label("No delivery attempts"));
        value(colAttemptNo, DeliveryAttempt::attempt);
        text(colAttemptHost, DeliveryAttempt::host);
        value(colAttemptStarted, DeliveryAttempt::startedAt);
        colAttemptStarted.setCellFactory(column -> JobCells.time(model::zone, model::now));
        value(colAttemptFinished, DeliveryAttempt::finishedAt);
        colAttemptFinished.setCellFactory(column -> JobCells.time(model::zone, model::now));
        value(colAttemptOutcome, DeliveryAttempt::outcome);
        value(colAttemptCode, attempt -> attempt);
        colAttemptCode.setCellFactory(column -> JobCells.replyStatus(DeliveryAttempt::smtpCode, DeliveryAttempt::smtpReply));
        text(colAttemptReply, DeliveryAttempt::smtpReply);
    }

    private void showFields(JobDetailModel detail) {
        detailFields.getChildren().clear();
        int row = 0;
        for (JobDetailModel.Field field : detail.fields()) {
            Label name = new Label(field.name());
            name.getStyleClass().add("detail-key");
            Label value = new Label(field.value());
            value.getStyleClass().add("detail-value");
            value.setWrapText(true);
            detailFields.addRow(row++, name, value);
        }
    }

    private void bindRecurring() {
        RecurringModel recurring = model.recurring();
        recurringTable.setItems(recurring.rows());
        recurringTable.setPlaceholder(new Label("No recurring e-mails"));
        text(colRecurringId, RecurringEmail::id);
        text(colRecurringRecipient, RecurringEmail::recipient);
        text(colRecurringSubject, RecurringEmail::subject);
        text(colRecurringCron, r -> r.cron() + (r.zone() == null ? "" : " (" + r.zone() + ")"));
        value(colRecurringNext, RecurringEmail::nextRun);
        colRecurringNext.setCellFactory(column -> JobCells.time(model::zone, model::now));
        recurringTable.getSelectionModel().selectedItemProperty().addListener((obs, old, selected) ->
                recurring.select(selected == null ? null : selected.id()));
        recurring.rows().addListener((ListChangeListener<RecurringEmail>) change -> recurring.selectedId()
                .flatMap(id -> recurring.rows().stream().filter(r -> r.id().equals(id)).findFirst())
                .ifPresent(r -> recurringTable.getSelectionModel().select(r)));
        triggerNow.disableProperty().bind(recurring.hasSelectionProperty().not().or(recurring.busyProperty()));
        deleteRecurring.disableProperty().bind(recurring.hasSelectionProperty().not().or(recurring.busyProperty()));
        recurringTab.selectedProperty().addListener((obs, old, selected) -> model.showRecurring(selected));
    }

    /** Reads live while the screen is in a showing window; the shell removes hidden screens from the scene. */
    private void bindLiveness() {
        shown = WhileShown.run(root, () -> model.startLive(refresher, Platform::runLater), model::stopLive);
    }


    private static <S> void text(TableColumn<S, String> column, Function<S, String> getter) {
        column.setCellValueFactory(cell -> Bindings.createStringBinding(() -> getter.apply(cell.getValue())));
    }

    private static <S, T> void value(TableColumn<S, T> column, Function<S, T> getter) {
        column.setCellValueFactory(cell -> Bindings.createObjectBinding(() -> getter.apply(cell.getValue())));
    }
}
