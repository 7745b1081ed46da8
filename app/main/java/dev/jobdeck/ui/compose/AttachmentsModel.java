package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.AttachmentFile;
import dev.jobdeck.core.mail.Attachment;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files attached on the Compose screen. Adding looks at each file on the task runner (it touches the disk)
 * and refuses the lot, with a message at the attachments row, when one cannot be read or the limits would be
 * passed. The files are read for real only when the e-mails are queued.
 */
public final class AttachmentsModel {

    private final TaskRunner tasks;
    private final ReadOnlyStringWrapper error;

    // Properties
    private final ObservableList<AttachmentFile> files = FXCollections.observableArrayList();
    private final ObservableList<AttachmentFile> filesView = FXCollections.unmodifiableObservableList(files);
    private final ReadOnlyStringWrapper total = new ReadOnlyStringWrapper(limitsHint());

    /** {@code error} is the attachments row's message, shared with the form's other problems. */
    public AttachmentsModel(TaskRunner tasks, ReadOnlyStringWrapper error) {
        this.tasks = tasks;
        this.error = error;
        files.addListener((ListChangeListener<AttachmentFile>) change -> total.set(describeTotal()));
    }

    // Commands

    public void add(List<Path> paths) {
        if (paths.isEmpty()) {
            return;
        }
        tasks.run(() -> inspect(paths), this::added, failure -> error.set("Nothing was attached: " + failure.getMessage()));
    }

    public void remove(AttachmentFile file) {
        if (file != null && files.remove(file)) {
            error.set("");
        }
    }

    public void clear() {
        files.clear();
        error.set("");
    }

    private static Inspected inspect(List<Path> paths) {
        List<AttachmentFile> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path path : paths) {
            try {
                found.add(AttachmentFile.inspect(path));
            } catch (IOException e) {
                problems.add("\"" + path.getFileName() + "\" cannot be read (" + path + ").");
            }
        }
        return new Inspected(found, problems);
    }

    private void added(Inspected inspected) {
        if (!inspected.problems().isEmpty()) {
            error.set(String.join(" ", inspected.problems()) + " Nothing was attached.");
            return;
        }
        List<AttachmentFile> wanted = new ArrayList<>(files);
        for (AttachmentFile file : inspected.files()) {
            if (wanted.stream().noneMatch(existing -> existing.path().equals(file.path()))) {
                wanted.add(file);
            }
        }
        Optional<String> limits = AttachmentFile.limitProblem(wanted);
        if (limits.isPresent()) {
            error.set(limits.get() + " Nothing was attached.");
            return;
        }
        files.setAll(wanted);
        error.set("");
    }

    private String describeTotal() {
        if (files.isEmpty()) {
            return limitsHint();
        }
        long bytes = files.stream().mapToLong(AttachmentFile::size).sum();
        return (files.size() == 1 ? "1 file, " : files.size() + " files, ") + Attachment.sizeText(bytes) + " of "
                + Attachment.sizeText(Attachment.MAX_TOTAL_BYTES) + ".";
    }

    private static String limitsHint() {
        return "No attachments. Up to " + Attachment.sizeText(Attachment.MAX_FILE_BYTES) + " per file, "
                + Attachment.sizeText(Attachment.MAX_TOTAL_BYTES) + " in all.";
    }

    /** How a file is listed: its name and size. */
    public static String describe(AttachmentFile file) {
        return file.name() + " — " + Attachment.sizeText(file.size());
    }

    private record Inspected(List<AttachmentFile> files, List<String> problems) {
    }

    // Property accessors

    public ObservableList<AttachmentFile> files() {
        return filesView;
    }

    /** Count and size of the attached files, or the limits while there are none. */
    public ReadOnlyStringProperty totalProperty() {
        return total.getReadOnlyProperty();
    }
}
