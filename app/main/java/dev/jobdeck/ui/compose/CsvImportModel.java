package dev.jobdeck.ui.compose;

import dev.jobdeck.core.csv.CsvFileException;
import dev.jobdeck.core.csv.CsvImport;
import dev.jobdeck.core.csv.CsvImport.RowProblem;
import dev.jobdeck.core.csv.RecipientCsv;
import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.ui.fx.LatestValue;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Recipients imported from a CSV file, as the Compose screen shows them: reading (with progress), then the
 * counts, the rows that cannot be used, and the recipients that will be queued. While an import is
 * {@linkplain #activeProperty() active} it replaces the To field; {@link #clear()} returns to it. A file that
 * cannot be imported changes nothing: the previous import (or none) stays, and {@link #problemProperty()} says why.
 */
public final class CsvImportModel {

    /** At most this many progress refreshes a second reach the screen, however fast rows are read. */
    static final long PROGRESS_INTERVAL_NANOS = 100_000_000L;

    private final RecipientCsv csv;
    private final TaskRunner tasks;
    private final LongSupplier nanoTime;

    // Properties
    private final ReadOnlyBooleanWrapper reading = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper active = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper fileName = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ObservableList<String> rowProblems = FXCollections.observableArrayList();
    private final ObservableList<String> rowProblemsView = FXCollections.unmodifiableObservableList(rowProblems);
    private final ObservableList<String> columnChoices = FXCollections.observableArrayList();
    private final ObservableList<String> columnChoicesView = FXCollections.unmodifiableObservableList(columnChoices);
    private final BooleanProperty includeDuplicates = new SimpleBooleanProperty(false);
    private final ReadOnlyObjectWrapper<List<Recipient>> recipients = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyIntegerWrapper duplicateCount = new ReadOnlyIntegerWrapper(0);

    private CsvImport current;
    private Path pendingFile;
    private long generation;
    private AtomicBoolean cancelRead = new AtomicBoolean();

    public CsvImportModel(RecipientCsv csv, TaskRunner tasks, LongSupplier nanoTime) {
        this.csv = csv;
        this.tasks = tasks;
        this.nanoTime = nanoTime;
        includeDuplicates.addListener((obs, old, include) -> showCurrent());
    }

    // Commands

    /** Reads {@code file} on the task runner; the e-mail column is found by its name. */
    public void importFile(Path file) {
        read(file, Optional.empty());
    }

    /** Reads the last file again with the column the operator picked. */
    public void chooseColumn(String column) {
        if (pendingFile != null && column != null) {
            read(pendingFile, Optional.of(column));
        }
    }

    /** Drops the import (or stops reading one): the To field is used again. */
    public void clear() {
        stopReading();
        current = null;
        pendingFile = null;
        includeDuplicates.set(false);
        problem.set("");
        columnChoices.clear();
        showCurrent();
    }

    private void read(Path file, Optional<String> column) {
        stopReading();
        long readId = ++generation;
        AtomicBoolean cancelled = new AtomicBoolean();
        cancelRead = cancelled;
        pendingFile = file;
        problem.set("");
        columnChoices.clear();
        reading.set(true);
        progress.set(0);
        progressText.set("Reading " + file.getFileName() + "…");
        LatestValue<long[]> shown = new LatestValue<>(tasks.uiThread(), update -> showProgress(readId, update));
        RecipientCsv.Progress throttled = new RecipientCsv.Progress() {
            private long lastShown = nanoTime.getAsLong() - PROGRESS_INTERVAL_NANOS;

            @Override
            public void update(long rows, long bytesRead, long totalBytes) {
                long now = nanoTime.getAsLong();
                if (now - lastShown >= PROGRESS_INTERVAL_NANOS) {
                    lastShown = now;
                    shown.publish(new long[] {rows, bytesRead, totalBytes});
                }
            }
        };
        tasks.run(() -> csv.read(file, column, throttled, cancelled::get),
                result -> {
                    if (readId == generation) {
                        reading.set(false);
                        current = result;
                        showCurrent();
                    }
                },
                failure -> {
                    if (readId == generation) {
                        reading.set(false);
                        refused(failure);
                    }
                });
    }

    private void stopReading() {
        cancelRead.set(true);
        generation++;
        reading.set(false);
    }

    private void showProgress(long readId, long[] update) {
        if (readId != generation) {
            return;
        }
        progress.set(update[2] <= 0 ? 0 : Math.min(1.0, (double) update[1] / update[2]));
        progressText.set("Reading " + pendingFile.getFileName() + ": " + count(update[0]) + " rows so far…");
    }

    private void refused(Throwable failure) {
        if (failure instanceof CancellationException) {
            return;
        }
        if (failure instanceof CsvFileException refused) {
            problem.set(refused.getMessage() + (current == null ? "" : " The previous import of " + current.fileName() + " stays."));
            if (refused.needsColumnChoice()) {
                columnChoices.setAll(refused.columns().stream().filter(c -> !c.isEmpty()).toList());
            }
        } else {
            problem.set("Cannot import " + pendingFile.getFileName() + ": " + failure.getMessage());
        }
    }

    private void showCurrent() {
        if (current == null) {
            fileName.set("");
            summary.set("");
            rowProblems.clear();
            duplicateCount.set(0);
            active.set(false);
            recipients.set(List.of());
            return;
        }
        List<Recipient> queued = new ArrayList<>(current.valid());
        if (includeDuplicates.get()) {
            queued.addAll(current.duplicates());
        }
        int invalid = current.invalidCount();
        int duplicates = current.duplicates().size();
        String counts = count(current.valid().size()) + " valid · " + count(invalid) + " invalid · "
                + count(duplicates) + (duplicates == 1 ? " duplicate" : " duplicates");
        String queues;
        if (includeDuplicates.get() && duplicates > 0) {
            queues = "Queues " + count(queued.size()) + " rows: the valid ones and the duplicates. Invalid rows are skipped.";
        } else if (invalid + duplicates > 0) {
            queues = "Queues only the " + count(queued.size()) + " valid rows; invalid rows"
                    + (duplicates > 0 ? " and duplicates are" : " are") + " skipped.";
        } else {
            queues = "Queues all " + count(queued.size()) + " rows.";
        }
        fileName.set(current.fileName());
        rowProblems.setAll(current.problems().stream().map(RowProblem::describe).toList());
        summary.set(counts + ". " + queues + " Merge fields: " + String.join(", ", mergeFields(current)) + ".");
        duplicateCount.set(duplicates);
        active.set(true);
        recipients.set(List.copyOf(queued));
    }

    private static List<String> mergeFields(CsvImport imported) {
        List<String> fields = new ArrayList<>();
        fields.add("email");
        imported.columns().stream().filter(c -> !c.isEmpty() && !c.equals("email")).forEach(fields::add);
        return fields;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    // Property accessors

    /** True while a file is being read. */
    public ReadOnlyBooleanProperty readingProperty() {
        return reading.getReadOnlyProperty();
    }

    /** True while an import replaces the To field. */
    public ReadOnlyBooleanProperty activeProperty() {
        return active.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty fileNameProperty() {
        return fileName.getReadOnlyProperty();
    }

    /** How much of the file has been read, 0 to 1. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** Counts, what will be queued, and the merge fields; empty while nothing is imported. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Why the last file could not be imported; empty when it could. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Invalid rows and duplicates, "line N: why", in file order. */
    public ObservableList<String> rowProblems() {
        return rowProblemsView;
    }

    /** The columns to pick the e-mail column from, when the file needs that; empty otherwise. */
    public ObservableList<String> columnChoices() {
        return columnChoicesView;
    }

    /** How many rows repeat an address of an earlier row. */
    public ReadOnlyIntegerProperty duplicateCountProperty() {
        return duplicateCount.getReadOnlyProperty();
    }

    /** Whether duplicate rows are queued too (they are skipped by default). */
    public BooleanProperty includeDuplicatesProperty() {
        return includeDuplicates;
    }

    /** The recipients that will be queued: the valid rows, plus the duplicates when included. */
    public ReadOnlyObjectProperty<List<Recipient>> recipientsProperty() {
        return recipients.getReadOnlyProperty();
    }
}
