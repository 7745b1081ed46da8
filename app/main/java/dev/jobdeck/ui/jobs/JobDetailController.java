package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobDetail;
import dev.jobdeck.core.jobs.JobRecipient;
import dev.jobdeck.core.store.DeliveryAttempt;
import javafx.beans.Observable;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;

import java.time.Instant;
import java.util.UUID;

import static dev.jobdeck.ui.fx.TableCells.showText;
import static dev.jobdeck.ui.fx.TableCells.showValue;

/**
 * The view of {@code JobDetail.fxml}: binds {@link JobDetailModel}, the job selected in the table, to the overview,
 * history, failure, recipients and attempts tabs.
 */
public final class JobDetailController {

    private JobsModel jobs;

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

    /** Called by the Jobs screen's controller once both are loaded. */
    void attach(JobsModel model) {
        jobs = model;
        JobDetailModel detail = model.detail();
        detailTitle.textProperty().bind(detail.titleProperty());
        retryJob.disableProperty().bind(detail.retryableProperty().not().or(model.busyProperty()));
        detail.fields().addListener((Observable o) -> showFields(detail));
        historyTable.setItems(detail.history());
        historyTable.setPlaceholder(new Label("No job selected"));
        showText(colHistoryState, JobDetail.StateChange::state);
        showValue(colHistoryTime, JobDetail.StateChange::at);
        colHistoryTime.setCellFactory(JobCells.time(model::zone, model::now));
        showText(colHistoryNote, JobDetail.StateChange::note);
        failureSummary.textProperty().bind(detail.failureSummaryProperty());
        stackTrace.textProperty().bind(detail.stackTraceProperty());
        recipientsTable.setItems(detail.recipients());
        recipientsTable.setPlaceholder(new Label("No job selected"));
        showText(colRecipientAddress, JobRecipient::recipient);
        showText(colRecipientStatus, recipient -> recipient.status().label());
        showValue(colRecipientAttempts, JobRecipient::attempts);
        showText(colRecipientReply, JobRecipient::lastReply);
        showText(colRecipientOwnJob, recipient -> recipient.ownJobId().map(UUID::toString).orElse(""));
        attemptsTable.setItems(detail.attempts());
        attemptsTable.setPlaceholder(new Label("No delivery attempts"));
        showValue(colAttemptNo, DeliveryAttempt::attempt);
        showText(colAttemptHost, DeliveryAttempt::host);
        showValue(colAttemptStarted, DeliveryAttempt::startedAt);
        colAttemptStarted.setCellFactory(JobCells.time(model::zone, model::now));
        showValue(colAttemptFinished, DeliveryAttempt::finishedAt);
        colAttemptFinished.setCellFactory(JobCells.time(model::zone, model::now));
        showValue(colAttemptOutcome, DeliveryAttempt::outcome);
        showValue(colAttemptCode, attempt -> attempt);
        colAttemptCode.setCellFactory(JobCells.replyStatus(DeliveryAttempt::smtpCode, DeliveryAttempt::smtpReply));
        showText(colAttemptReply, DeliveryAttempt::smtpReply);
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

    @FXML
    private void retryJob() {
        jobs.retryShownJob();
    }
}
