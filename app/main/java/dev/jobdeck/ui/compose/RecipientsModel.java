package dev.jobdeck.ui.compose;

import dev.jobdeck.core.csv.RecipientCsv;
import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.core.jobs.TemplateChecks;
import dev.jobdeck.core.jobs.ToFieldCheck;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Who the Compose screen's e-mails are from and go to: From, To (typed or pasted, or replaced by recipients
 * imported from CSV, {@link #csvImport()}), Cc and Bcc, and the recipients the preview steps through.
 */
public final class RecipientsModel {

    private static final System.Logger LOG = System.getLogger(RecipientsModel.class.getName());

    public static final String DEFAULT_FROM = "jobdeck@localhost";

    // Properties: the inputs, bound both ways by the view
    private final StringProperty from = new SimpleStringProperty(DEFAULT_FROM);
    private final StringProperty to = new SimpleStringProperty("");
    private final StringProperty cc = new SimpleStringProperty("");
    private final StringProperty bcc = new SimpleStringProperty("");

    // Properties: derived state, read-only to the view
    private final ReadOnlyStringWrapper recipientCount = new ReadOnlyStringWrapper("No recipients");
    private final ReadOnlyObjectWrapper<List<Recipient>> recipients = new ReadOnlyObjectWrapper<>(List.of());

    /** What Queue would say of the To field's addresses now, or empty: shown under the field as it is typed. */
    private final ReadOnlyStringWrapper toProblem = new ReadOnlyStringWrapper("");

    private final CsvImportModel csvImport;
    private final TaskRunner tasks;
    /** A check of the To field runs; {@link #uncheckedText} is the newest text typed meanwhile, or null. */
    private boolean checking;
    private String uncheckedText;

    RecipientsModel(TaskRunner tasks) {
        this.tasks = tasks;
        csvImport = new CsvImportModel(new RecipientCsv(), tasks, System::nanoTime);
        to.addListener((obs, old, text) -> showRecipients());
        csvImport.recipientsProperty().addListener((obs, old, list) -> showRecipients());
        csvImport.activeProperty().addListener((obs, old, imported) -> showRecipients());
    }

    // Commands

    /** Reads recipients from {@code file}; while imported they replace the To field. */
    public void importCsv(Path file) {
        csvImport.importFile(file);
    }

    /** Drops the imported recipients: the To field is used again. */
    public void clearImport() {
        csvImport.clear();
    }

    /** Empties To, Cc and Bcc and drops an import; From stays. */
    void clear() {
        to.set("");
        cc.set("");
        bcc.set("");
        csvImport.clear();
    }

    /** The To field as queued: empty while recipients are imported, which then go instead. */
    String typedTo() {
        return imported() ? "" : to.get();
    }

    boolean imported() {
        return csvImport.activeProperty().get();
    }

    /** The imported recipients that will be queued (empty when the To field is used), for previews. */
    public List<Recipient> importedRecipients() {
        return imported() ? csvImport.recipientsProperty().get() : List.of();
    }

    /** The count under To and the recipients the preview steps through: the imported rows, else the To field's. */
    private void showRecipients() {
        if (imported()) {
            int n = csvImport.recipientsProperty().get().size();
            recipientCount.set((n == 1 ? "1 recipient" : String.format(Locale.ROOT, "%,d recipients", n))
                    + " from " + csvImport.fileNameProperty().get());
            recipients.set(csvImport.recipientsProperty().get());
            toProblem.set("");
        } else {
            check(to.get());
        }
    }

    /**
     * Checks the To field's addresses off the JavaFX thread (a paste may hold many thousands), at most one check at a
     * time: edits made meanwhile are checked once it ends, the newest text only (issue 19).
     */
    private void check(String text) {
        if (checking) {
            uncheckedText = text;
            return;
        }
        checking = true;
        tasks.run(() -> ToFieldCheck.of(text), check -> {
            checking = false;
            if (uncheckedText != null) {
                String newer = uncheckedText;
                uncheckedText = null;
                check(newer);
            } else if (!imported()) {
                recipientCount.set(check.describe());
                recipients.set(check.valid().stream().map(TemplateChecks::pasted).toList());
                toProblem.set(check.problem().orElse(""));
            }
        }, failure -> {
            checking = false;
            uncheckedText = null;
            LOG.log(System.Logger.Level.WARNING, "Checking the To field failed", failure);
        });
    }

    // Sub-models and their data

    public CsvImportModel csvImport() {
        return csvImport;
    }

    // Property accessors

    public StringProperty fromProperty() {
        return from;
    }

    public StringProperty toProperty() {
        return to;
    }

    public StringProperty ccProperty() {
        return cc;
    }

    public StringProperty bccProperty() {
        return bcc;
    }

    /** What Queue would refuse in To, as the operator types; empty when the addresses are fine (or imported). */
    public ReadOnlyStringProperty toProblemProperty() {
        return toProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty recipientCountProperty() {
        return recipientCount.getReadOnlyProperty();
    }

    /**
     * The recipients the preview goes through and each e-mail is merged for: the imported rows, else those
     * typed into To, each with the field {@code email}.
     */
    public ReadOnlyObjectProperty<List<Recipient>> listProperty() {
        return recipients.getReadOnlyProperty();
    }

    public List<Recipient> list() {
        return recipients.get();
    }
}
