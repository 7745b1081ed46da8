package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.RecipientStatus;
import dev.jobdeck.core.mail.ReplyStatus;
import dev.jobdeck.core.jobs.query.JobState;
import javafx.beans.Observable;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.jobdeck.ui.fx.TableCells.showText;
import static dev.jobdeck.ui.fx.TableCells.showValue;

/** The view of {@code JobTable.fxml}: binds {@link JobTableModel} to the jobs table and its pager. */
public final class JobTableController {

    private JobTableModel table;
    private JobDetailModel detail;

    @FXML private TableView<JobRow> jobsTable;
    @FXML private TableColumn<JobRow, String> colRecipient;
    @FXML private TableColumn<JobRow, String> colSubject;
    @FXML private TableColumn<JobRow, JobState> colState;
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

    /** Called by the Jobs screen's controller once both are loaded. */
    void attach(JobsModel jobs) {
        table = jobs.table();
        detail = jobs.detail();
        jobsTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        jobsTable.setItems(table.rows());
        Label placeholder = new Label();
        placeholder.setId("jobsEmpty");
        placeholder.setWrapText(true);
        placeholder.textProperty().bind(table.emptyTextProperty());
        jobsTable.setPlaceholder(placeholder);
        bindSorting();
        showText(colRecipient, JobRow::recipient);
        showText(colSubject, JobRow::subject);
        showValue(colState, JobRow::state);
        colState.setCellFactory(JobCells.stateBadge());
        showValue(colAttempts, JobRow::attempts);
        showText(colHost, JobRow::host);
        showValue(colUpdated, JobRow::updatedAt);
        colUpdated.setCellFactory(JobCells.time(jobs::zone, jobs::now));
        showValue(colDelivery, JobRow::recipientStatus);
        colDelivery.setCellFactory(JobCells.recipientStatus());
        showValue(colReplyCode, row -> row);
        colReplyCode.setCellFactory(JobCells.replyStatus(JobRow::lastCode, JobRow::lastReply));
        // The code and enhanced status have their own column; this one says the rest of the reply.
        showText(colReply, row -> ReplyStatus.withoutStatus(row.lastReply()));
        jobsTable.getSelectionModel().getSelectedItems().addListener((Observable o) -> selectionChanged());
        // Runs after the table has reacted to new rows (it drops its selection): select the same jobs again.
        table.rows().addListener((ListChangeListener<JobRow>) change -> reselect());
        previousPage.disableProperty().bind(table.hasPreviousProperty().not());
        nextPage.disableProperty().bind(table.hasNextProperty().not());
        firstPage.disableProperty().bind(table.hasPreviousProperty().not());
        lastPage.disableProperty().bind(table.hasNextProperty().not());
        pageLabel.textProperty().bind(table.pageTextProperty());
    }

    /**
     * The store sorts (by an index, decisions 25 and 30): a header click asks the model for the first page in that
     * order (a second click reverses it) and the table keeps the rows as they come. Only columns with an index behind
     * them are sortable in JobTable.fxml (Delivery follows the job's state and is not).
     */
    private void bindSorting() {
        Map<TableColumn<JobRow, ?>, JobSort> sorts = Map.of(colUpdated, JobSort.UPDATED, colState, JobSort.STATE,
                colRecipient, JobSort.RECIPIENT, colSubject, JobSort.SUBJECT, colAttempts, JobSort.TRIES,
                colHost, JobSort.HOST, colReplyCode, JobSort.CODE, colReply, JobSort.REPLY);
        colUpdated.setSortType(TableColumn.SortType.DESCENDING);
        jobsTable.getSortOrder().setAll(List.of(colUpdated));
        jobsTable.setSortPolicy(view -> {
            TableColumn<JobRow, ?> first = view.getSortOrder().isEmpty() ? null : view.getSortOrder().get(0);
            JobSort sort = first == null ? JobSort.UPDATED : sorts.getOrDefault(first, JobSort.UPDATED);
            boolean descending = first == null || first.getSortType() == TableColumn.SortType.DESCENDING;
            table.sortBy(sort, descending);
            return true;
        });
    }

    private void selectionChanged() {
        JobRow focused = jobsTable.getSelectionModel().getSelectedItem();
        table.select(jobsTable.getSelectionModel().getSelectedItems().stream().map(JobRow::jobId).toList(),
                focused == null ? null : focused.jobId());
    }

    private void reselect() {
        Set<UUID> wanted = Set.copyOf(table.selectedIds());
        UUID focused = detail.jobId().orElse(null);
        jobsTable.getSelectionModel().clearSelection();
        for (int i = 0; i < table.rows().size(); i++) {
            UUID id = table.rows().get(i).jobId();
            if (wanted.contains(id) && !id.equals(focused)) {
                jobsTable.getSelectionModel().select(i);
            }
        }
        // The focused job last, so that it stays the table's selected item (and the detail's job).
        for (int i = 0; i < table.rows().size(); i++) {
            if (table.rows().get(i).jobId().equals(focused) && wanted.contains(focused)) {
                jobsTable.getSelectionModel().select(i);
            }
        }
    }

    @FXML
    private void previousPage() {
        table.previousPage();
    }

    @FXML
    private void nextPage() {
        table.nextPage();
    }

    @FXML
    private void firstPage() {
        table.firstPage();
    }

    @FXML
    private void lastPage() {
        table.lastPage();
    }
}
