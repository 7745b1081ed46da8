package dev.jobdeck.ui.compose;

import dev.jobdeck.core.csv.RecipientCsv;
import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.core.jobs.TemplateChecks;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who the Compose screen's e-mails are from and go to: From, To (typed or pasted, or replaced by recipients
 * imported from CSV, {@link #csvImport()}), Cc and Bcc, and the recipients the preview steps through.
 */
public final class RecipientsModel {

    public static final String DEFAULT_FROM = "jobdeck@localhost";

    // Properties: the inputs, bound both ways by the view
    private final StringProperty from = new SimpleStringProperty(DEFAULT_FROM);
    private final StringProperty to = new SimpleStringProperty("");
    private final StringProperty cc = new SimpleStringProperty("");
    private final StringProperty bcc = new SimpleStringProperty("");

    // Properties: derived state, read-only to the view
    private final ReadOnlyStringWrapper recipientCount = new ReadOnlyStringWrapper("No recipients");
    private final ReadOnlyObjectWrapper<List<Recipient>> recipients = new ReadOnlyObjectWrapper<>(List.of());

    private final CsvImportModel csvImport;

    RecipientsModel(TaskRunner tasks) {
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

    /**
     * The recipients typed or pasted into To, split as the count is (cheap enough for every keystroke); each has
     * the one merge field {@code email}. Addresses are checked when the e-mails are queued.
     */
    static List<Recipient> pastedRecipients(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<Recipient> list = new ArrayList<>();
        for (String entry : text.split("[,;\\r\\n]")) {
            String address = entry.strip();
            if (!address.isEmpty()) {
                list.add(TemplateChecks.pasted(address));
            }
        }
        return List.copyOf(list);
    }

    /**
     * Counts non-blank entries between separators in one pass, without parsing addresses: this runs on
     * every keystroke and must stay cheap when a thousand addresses are pasted. Duplicates and
     * malformed entries are counted too; the send reports those.
     */
    static int countRecipients(CharSequence text) {
        if (text == null) {
            return 0;
        }
        int count = 0;
        boolean entryHasText = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == ';' || c == '\n' || c == '\r') {
                entryHasText = false;
            } else if (!entryHasText && !Character.isWhitespace(c)) {
                entryHasText = true;
                count++;
            }
        }
        return count;
    }

    private static String describeCount(int count) {
        return count == 0 ? "No recipients" : count == 1 ? "1 recipient" : count + " recipients";
    }

    /** The count under To and the recipients the preview steps through: the imported rows, else the To field's. */
    private void showRecipients() {
        showRecipientCount();
        recipients.set(imported() ? csvImport.recipientsProperty().get() : pastedRecipients(to.get()));
    }

    private void showRecipientCount() {
        if (imported()) {
            int n = csvImport.recipientsProperty().get().size();
            recipientCount.set((n == 1 ? "1 recipient" : String.format(Locale.ROOT, "%,d recipients", n))
                    + " from " + csvImport.fileNameProperty().get());
        } else {
            recipientCount.set(describeCount(countRecipients(to.get())));
        }
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
