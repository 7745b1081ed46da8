package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.RecurringEmail;
import dev.jobdeck.ui.fx.Confirm;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.time.Instant;

import static dev.jobdeck.ui.fx.TableCells.showText;
import static dev.jobdeck.ui.fx.TableCells.showValue;

/** The view of {@code Recurring.fxml}: binds {@link RecurringModel} to the Recurring tab's table and buttons. */
public final class RecurringController {

    private RecurringModel recurring;

    @FXML private TableView<RecurringEmail> recurringTable;
    @FXML private TableColumn<RecurringEmail, String> colRecurringId;
    @FXML private TableColumn<RecurringEmail, String> colRecurringRecipient;
    @FXML private TableColumn<RecurringEmail, String> colRecurringSubject;
    @FXML private TableColumn<RecurringEmail, String> colRecurringCron;
    @FXML private TableColumn<RecurringEmail, Instant> colRecurringNext;
    @FXML private Button triggerNow;
    @FXML private Button deleteRecurring;

    /** Called by the Jobs screen's controller once both are loaded. */
    void attach(JobsModel jobs) {
        recurring = jobs.recurring();
        recurringTable.setItems(recurring.rows());
        recurringTable.setPlaceholder(new Label("No recurring e-mails"));
        showText(colRecurringId, RecurringEmail::id);
        showText(colRecurringRecipient, RecurringEmail::recipient);
        showText(colRecurringSubject, RecurringEmail::subject);
        showText(colRecurringCron, r -> r.cron() + (r.zone() == null ? "" : " (" + r.zone() + ")"));
        showValue(colRecurringNext, RecurringEmail::nextRun);
        colRecurringNext.setCellFactory(JobCells.time(jobs::zone, jobs::now));
        recurringTable.getSelectionModel().selectedItemProperty().addListener((obs, old, selected) ->
                recurring.select(selected == null ? null : selected.id()));
        recurring.rows().addListener((ListChangeListener<RecurringEmail>) change -> recurring.selectedId()
                .flatMap(id -> recurring.rows().stream().filter(r -> r.id().equals(id)).findFirst())
                .ifPresent(r -> recurringTable.getSelectionModel().select(r)));
        triggerNow.disableProperty().bind(recurring.hasSelectionProperty().not().or(recurring.busyProperty()));
        deleteRecurring.disableProperty().bind(recurring.hasSelectionProperty().not().or(recurring.busyProperty()));
    }

    @FXML
    private void triggerNow() {
        recurring.triggerNow();
    }

    @FXML
    private void deleteRecurring() {
        if (recurring.deleteQuestion().map(question -> Confirm.ask(deleteRecurring, question)).orElse(false)) {
            recurring.deleteSelected();
        }
    }
}
