package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.RecurringEmail;
import dev.jobdeck.ui.fx.Banner;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Optional;

/** The Recurring tab: the recurring e-mails, and running one now or removing it. */
public final class RecurringModel {

    private final JobCommands commands;
    private final TaskRunner tasks;
    private final Banner banner;
    private final Runnable afterCommand;
    private String selectedId;
    private boolean replacingRows;

    // Properties
    private final ObservableList<RecurringEmail> rows = FXCollections.observableArrayList();
    private final ObservableList<RecurringEmail> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyBooleanWrapper hasSelection = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);

    RecurringModel(JobCommands commands, TaskRunner tasks, Banner banner, Runnable afterCommand) {
        this.commands = commands;
        this.tasks = tasks;
        this.banner = banner;
        this.afterCommand = afterCommand;
    }

    void show(List<RecurringEmail> recurring) {
        if (recurring.equals(rows)) {
            return;
        }
        replacingRows = true;
        try {
            rows.setAll(recurring);
        } finally {
            replacingRows = false;
        }
        hasSelection.set(selectedId != null && rows.stream().anyMatch(r -> r.id().equals(selectedId)));
    }

    // Commands

    /** The table's selection; ignored while the rows are being replaced, since the table clears it then. */
    public void select(String recurringJobId) {
        if (replacingRows) {
            return;
        }
        selectedId = recurringJobId;
        hasSelection.set(recurringJobId != null);
    }

    public void triggerNow() {
        String id = selectedId;
        if (id == null) {
            return;
        }
        busy.set(true);
        tasks.run(() -> commands.triggerNow(id), jobId -> {
            busy.set(false);
            banner.show(Banner.Tone.SUCCESS, "Recurring job " + id + " queued now as job " + jobId);
            afterCommand.run();
        }, problem -> {
            busy.set(false);
            banner.failed("Running " + id, problem);
        });
    }

    /** The question to ask before deleting, or empty when nothing is selected. */
    public Optional<String> deleteQuestion() {
        return Optional.ofNullable(selectedId).map(id -> "Delete recurring job " + id
                + "? Its schedule stops, and its runs that have not started yet are deleted with it.");
    }

    public void deleteSelected() {
        String id = selectedId;
        if (id == null) {
            return;
        }
        busy.set(true);
        tasks.run(() -> commands.deleteRecurring(id), runs -> {
            busy.set(false);
            selectedId = null;
            hasSelection.set(false);
            banner.show(Banner.Tone.SUCCESS, "Recurring job " + id + " deleted" + (runs == 0 ? ""
                    : runs == 1 ? ", with its 1 run that had not started" : ", with its " + runs + " runs that had not started"));
            afterCommand.run();
        }, problem -> {
            busy.set(false);
            banner.failed("Deleting " + id, problem);
        });
    }

    public Optional<String> selectedId() {
        return Optional.ofNullable(selectedId);
    }

    public boolean isReplacingRows() {
        return replacingRows;
    }

    public ObservableList<RecurringEmail> rows() {
        return rowsView;
    }

    public ReadOnlyBooleanProperty hasSelectionProperty() {
        return hasSelection.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
