package dev.jobdeck.ui.compose;

import dev.jobdeck.core.csv.RecipientCsv;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.InvalidSendRequestException;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.jobs.TemplateChecks;
import dev.jobdeck.core.jobs.TestSend;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.store.SavedTemplate;
import dev.jobdeck.core.templates.TemplateLibrary;
import dev.jobdeck.core.templates.TemplateLibrary.InvalidTemplateException;
import dev.jobdeck.ui.Navigation;
import dev.jobdeck.ui.TaskRunner;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.cron.CronExpression;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * State and commands of the Compose screen: the form, its per-field problems, and the outcome of a send.
 * Recipients imported from CSV ({@link #csvImport()}) replace the To field while imported; the attached files
 * ({@link #attachments()}) go with every e-mail.
 */
public final class ComposeModel {

    public static final String DEFAULT_FROM = "jobdeck@localhost";
    static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter TYPED_TIME = DateTimeFormatter.ofPattern("H:mm");

    /** How the operator wants the e-mails timed. */
    public enum Schedule {
        NOW("Now"), AT("At a date and time"), AFTER("After a delay"), CRON("On a cron schedule");

        private final String label;

        Schedule(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public enum DelayUnit {
        MINUTES("minutes", ChronoUnit.MINUTES), HOURS("hours", ChronoUnit.HOURS), DAYS("days", ChronoUnit.DAYS);

        private final String label;
        private final ChronoUnit unit;

        DelayUnit(String label, ChronoUnit unit) {
            this.label = label;
            this.unit = unit;
        }

        public String label() {
            return label;
        }

        Duration times(long amount) {
            return unit.getDuration().multipliedBy(amount);
        }
    }

    public enum Outcome { NONE, SUCCESS, DANGER }

    private final EmailQueue queue;
    private final TemplateLibrary templates;
    private final TaskRunner tasks;
    private final Navigation navigation;
    private final Clock clock;

    // Properties: the inputs, bound both ways by the view
    private final StringProperty from = new SimpleStringProperty(DEFAULT_FROM);
    private final StringProperty to = new SimpleStringProperty("");
    private final StringProperty cc = new SimpleStringProperty("");
    private final StringProperty bcc = new SimpleStringProperty("");
    private final StringProperty subject = new SimpleStringProperty("");
    private final StringProperty body = new SimpleStringProperty("");
    private final ObjectProperty<BodyFormat> format = new SimpleObjectProperty<>(BodyFormat.TEXT);
    private final StringProperty textAlternative = new SimpleStringProperty("");
    private final ObjectProperty<String> templateChoice = new SimpleObjectProperty<>();
    private final StringProperty templateName = new SimpleStringProperty("");
    private final ObjectProperty<Schedule> schedule = new SimpleObjectProperty<>(Schedule.NOW);
    private final ObjectProperty<LocalDate> atDate = new SimpleObjectProperty<>();
    private final StringProperty atTime = new SimpleStringProperty("09:00");
    private final ObjectProperty<Integer> delayAmount = new SimpleObjectProperty<>(10);
    private final ObjectProperty<DelayUnit> delayUnit = new SimpleObjectProperty<>(DelayUnit.MINUTES);
    private final StringProperty cron = new SimpleStringProperty("");

    // Properties: derived state, read-only to the view
    private final ReadOnlyStringWrapper recipientCount = new ReadOnlyStringWrapper("No recipients");
    private final ReadOnlyStringWrapper cronNextRun = new ReadOnlyStringWrapper("");
    private final Map<Field, ReadOnlyStringWrapper> errors = new EnumMap<>(Field.class);
    private final ReadOnlyBooleanWrapper sending = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);
    private final ReadOnlyBooleanWrapper jobsLinkVisible = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<List<Recipient>> recipients = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyStringWrapper textAlternativeHint = new ReadOnlyStringWrapper("");
    private final ObservableList<String> templateNames = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper templateNameError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper templateMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> templateOutcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);
    private final ReadOnlyBooleanWrapper templateBusy = new ReadOnlyBooleanWrapper(false);
    private final PreviewModel preview;
    private Optional<StateName> queuedState = Optional.empty();
    private List<SavedTemplate> saved = List.of();
    /** The saved template the form was last filled from or saved as; kept with every e-mail queued. */
    private String usedTemplate = "";

    private final CsvImportModel csvImport;
    private final AttachmentsModel attachments;

    public ComposeModel(EmailQueue queue, TemplateLibrary templates, TestSend testSend, TaskRunner tasks,
                        Navigation navigation, Clock clock) {
        this.queue = queue;
        this.templates = templates;
        this.tasks = tasks;
        this.navigation = navigation;
        this.clock = clock;
        for (Field field : Field.values()) {
            errors.put(field, new ReadOnlyStringWrapper(""));
        }
        csvImport = new CsvImportModel(new RecipientCsv(), tasks, System::nanoTime);
        attachments = new AttachmentsModel(tasks, errors.get(Field.ATTACHMENTS));
        atDate.set(LocalDate.now(clock).plusDays(1));
        clearErrorOnEdit(from, Field.FROM);
        clearErrorOnEdit(to, Field.TO);
        clearErrorOnEdit(cc, Field.CC);
        clearErrorOnEdit(bcc, Field.BCC);
        clearErrorOnEdit(subject, Field.SUBJECT);
        clearErrorOnEdit(body, Field.BODY);
        for (ObservableValue<?> part : new ObservableValue<?>[] {schedule, atDate, atTime, delayAmount, delayUnit, cron}) {
            clearErrorOnEdit(part, Field.WHEN);
        }
        clearErrorOnEdit(textAlternative, Field.TEXT_ALTERNATIVE);
        to.addListener((obs, old, text) -> showRecipients());
        csvImport.recipientsProperty().addListener((obs, old, list) -> {
            errors.get(Field.TO).set("");
            showRecipients();
        });
        csvImport.activeProperty().addListener((obs, old, imported) -> showRecipients());
        cron.addListener((obs, old, text) -> cronNextRun.set(nextRunHint(text)));
        format.addListener((obs, old, value) -> textAlternativeHint.set(describeTextAlternative()));
        textAlternative.addListener((obs, old, value) -> textAlternativeHint.set(describeTextAlternative()));
        textAlternativeHint.set(describeTextAlternative());
        templateName.addListener((obs, old, value) -> templateNameError.set(""));
        templateChoice.addListener((obs, old, name) -> {
            if (name != null && !name.equals(usedTemplate)) {
                fillFrom(name);
            }
        });
        preview = new PreviewModel(recipients.getReadOnlyProperty(), () -> request(When.now()),
                List.of(from, subject, body, format, textAlternative), testSend, tasks, errors::get);
        refreshTemplates();
    }

    private void clearErrorOnEdit(ObservableValue<?> input, Field field) {
        input.addListener((obs, old, value) -> errors.get(field).set(""));
    }

    // Commands

    /** Validates and queues on the task runner; the outcome arrives later on the UI thread. */
    public void send() {
        if (sending.get()) {
            return;
        }
        errors.values().forEach(error -> error.set(""));
        showOutcome(Outcome.NONE, "");
        Optional<String> timeProblem = Optional.empty();
        When when;
        switch (schedule.get()) {
            case AT -> {
                LocalTime time = parseTime(atTime.get());
                if (atDate.get() == null || time == null) {
                    timeProblem = Optional.of(atDate.get() == null
                            ? "Pick the date to send on."
                            : "Enter the time as HH:mm, for example 09:00.");
                    when = new When.At(null);
                } else {
                    when = new When.At(LocalDateTime.of(atDate.get(), time));
                }
            }
            case AFTER -> when = new When.After(delayAmount.get() == null
                    ? Duration.ZERO : delayUnit.get().times(delayAmount.get()));
            case CRON -> when = new When.Cron(cron.get());
            default -> when = When.now();
        }
        if (csvImport.readingProperty().get()) {
            showOutcome(Outcome.DANGER, "Nothing was queued: the CSV file is still being read.");
            return;
        }
        SendRequest request = request(when);
        Schedule kind = schedule.get();
        Optional<String> whenOverride = timeProblem;
        sending.set(true);
        tasks.run(() -> queue.queue(request),
                queued -> {
                    sending.set(false);
                    showQueued(queued, kind);
                },
                failure -> {
                    sending.set(false);
                    showFailure(failure, whenOverride);
                });
    }

    /** The form as a request: what Queue sends, and what the preview and Send test merge. */
    SendRequest request(When when) {
        boolean imported = csvImport.activeProperty().get();
        return new SendRequest(from.get(), imported ? "" : to.get(), cc.get(), bcc.get(), subject.get(), body.get(), when,
                format.get(), format.get() == BodyFormat.HTML ? textAlternative.get() : "", usedTemplate,
                imported ? csvImport.recipientsProperty().get() : List.of(), attachments.files());
    }

    /** Saves the form's subject, body, format and plain-text part under the typed name (replacing one of that name). */
    public void saveTemplate() {
        if (templateBusy.get()) {
            return;
        }
        showTemplate(Outcome.NONE, "");
        String name = templateName.get();
        String subjectText = subject.get();
        String bodyText = body.get();
        BodyFormat bodyFormat = format.get();
        String text = textAlternative.get();
        templateBusy.set(true);
        tasks.run(() -> {
                    TemplateLibrary.Saved done = templates.save(name, subjectText, bodyText, bodyFormat, text);
                    return new Listed<>(done, templates.all());
                },
                result -> {
                    templateBusy.set(false);
                    TemplateLibrary.Saved done = result.outcome();
                    usedTemplate = done.template().name();
                    showTemplates(result.all());
                    templateChoice.set(usedTemplate);
                    templateName.set(usedTemplate);
                    showTemplate(Outcome.SUCCESS, (done.updated() ? "Updated" : "Saved") + " the template \u201c" + usedTemplate + "\u201d.");
                },
                failure -> {
                    templateBusy.set(false);
                    if (failure instanceof InvalidTemplateException invalid) {
                        invalid.problems().forEach((field, message) -> {
                            switch (field) {
                                case NAME -> templateNameError.set(message);
                                case SUBJECT -> errors.get(Field.SUBJECT).set(message);
                                case BODY -> errors.get(Field.BODY).set(message);
                                case TEXT_ALTERNATIVE -> errors.get(Field.TEXT_ALTERNATIVE).set(message);
                            }
                        });
                        showTemplate(Outcome.DANGER, "The template was not saved. Correct the fields marked in red.");
                    } else {
                        showTemplate(Outcome.DANGER, "The template was not saved: " + failure.getMessage());
                    }
                });
    }

    /** What a change to the saved templates did, and the list after it. */
    private record Listed<T>(T outcome, List<SavedTemplate> all) {
    }

    /** Deletes the template picked in the list; the form keeps its text. */
    public void deleteTemplate() {
        String name = templateChoice.get();
        if (templateBusy.get()) {
            return;
        }
        if (name == null || name.isBlank()) {
            showTemplate(Outcome.DANGER, "Pick the saved template to delete first.");
            return;
        }
        templateBusy.set(true);
        tasks.run(() -> {
                    boolean deleted = templates.delete(name);
                    return new Listed<>(deleted, templates.all());
                },
                result -> {
                    templateBusy.set(false);
                    if (name.equals(usedTemplate)) {
                        usedTemplate = "";
                    }
                    showTemplates(result.all());
                    templateChoice.set(null);
                    showTemplate(result.outcome() ? Outcome.SUCCESS : Outcome.DANGER,
                            result.outcome()
                                    ? "Deleted the template \u201c" + name + "\u201d. The form keeps its text."
                                    : "There is no template \u201c" + name + "\u201d any more.");
                },
                failure -> {
                    templateBusy.set(false);
                    showTemplate(Outcome.DANGER, "The template was not deleted: " + failure.getMessage());
                });
    }

    /** Reads the saved templates' list again (off the JavaFX thread). */
    public void refreshTemplates() {
        tasks.run(templates::all, this::showTemplates,
                failure -> showTemplate(Outcome.DANGER, "Cannot read the saved templates: " + failure.getMessage()));
    }

    private void showTemplates(List<SavedTemplate> all) {
        saved = List.copyOf(all);
        List<String> names = new ArrayList<>();
        all.forEach(t -> names.add(t.name()));
        templateNames.setAll(names);
    }

    /** Fills subject, body, format and plain-text part from the saved template (read with the list). */
    private void fillFrom(String name) {
        Optional<SavedTemplate> picked = saved.stream().filter(t -> t.name().equals(name)).findFirst();
        if (picked.isEmpty()) {
            return;
        }
        SavedTemplate template = picked.get();
        usedTemplate = template.name();
        templateName.set(template.name());
        subject.set(template.subject());
        body.set(template.body());
        format.set(template.format());
        textAlternative.set(template.textAlternative());
        showTemplate(Outcome.SUCCESS, "Filled the form from the template \u201c" + template.name() + "\u201d.");
    }

    private void showTemplate(Outcome kind, String message) {
        templateOutcome.set(kind);
        templateMessage.set(message);
    }

    private String describeTextAlternative() {
        if (format.get() != BodyFormat.HTML) {
            return "";
        }
        return textAlternative.get() == null || textAlternative.get().isBlank()
                ? "Empty: the plain-text part is derived from the HTML (see the preview)."
                : "This text is sent as the plain-text part, merged like the body.";
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

    /** Empties everything but From, so the next batch starts clean while the sender stays. */
    public void clear() {
        to.set("");
        cc.set("");
        bcc.set("");
        subject.set("");
        body.set("");
        format.set(BodyFormat.TEXT);
        textAlternative.set("");
        usedTemplate = "";
        templateChoice.set(null);
        templateName.set("");
        showTemplate(Outcome.NONE, "");
        schedule.set(Schedule.NOW);
        cron.set("");
        csvImport.clear();
        attachments.clear();
        errors.values().forEach(error -> error.set(""));
        showOutcome(Outcome.NONE, "");
    }

    /** Reads recipients from {@code file}; while imported they replace the To field. */
    public void importCsv(Path file) {
        csvImport.importFile(file);
    }

    /** Drops the imported recipients: the To field is used again. */
    public void clearImport() {
        csvImport.clear();
    }

    public void addAttachments(List<Path> files) {
        attachments.add(files);
    }

    /** Opens the Jobs screen on the state the last batch went into. */
    public void showQueuedJobs() {
        navigation.showJobs(queuedState);
    }

    private void showQueued(QueueResult queued, Schedule kind) {
        int n = queued.count();
        String mails = n == 1 ? "1 e-mail" : n + " e-mails";
        String jobs = n == 1 ? "1 job" : n + " jobs";
        String message;
        if (queued.recurring()) {
            queuedState = Optional.empty();
            message = "Created " + (n == 1 ? "1 recurring job" : n + " recurring jobs")
                    + (queued.firstRun() == null ? "" : ", first run " + shown(queued.firstRun()));
        } else if (kind == Schedule.NOW) {
            queuedState = Optional.of(StateName.ENQUEUED);
            message = "Queued " + mails + " as " + jobs + " (enqueued now)";
        } else {
            queuedState = Optional.of(StateName.SCHEDULED);
            message = "Scheduled " + mails + " for " + shown(queued.firstRun());
        }
        showOutcome(Outcome.SUCCESS, message);
    }

    private void showFailure(Throwable failure, Optional<String> whenOverride) {
        if (failure instanceof InvalidSendRequestException invalid) {
            invalid.problems().forEach((field, message) -> errors.get(field).set(message));
            whenOverride.ifPresent(message -> errors.get(Field.WHEN).set(message));
            showOutcome(Outcome.DANGER, "Nothing was queued. Correct the fields marked in red.");
        } else if (failure instanceof SQLException) {
            showOutcome(Outcome.DANGER, "Nothing was queued: the database refused the write: " + failure.getMessage());
        } else {
            showOutcome(Outcome.DANGER, "Nothing was queued: " + failure.getMessage());
        }
    }

    private void showOutcome(Outcome kind, String message) {
        outcome.set(kind);
        result.set(message);
        jobsLinkVisible.set(kind == Outcome.SUCCESS);
    }

    private String shown(Instant instant) {
        return SHOWN_TIME.format(instant.atZone(clock.getZone()));
    }

    private static LocalTime parseTime(String text) {
        try {
            return text == null ? null : LocalTime.parse(text.strip(), TYPED_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String nextRunHint(String expression) {
        String trimmed = expression == null ? "" : expression.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        try {
            CronExpression parsed = new CronExpression(trimmed);
            parsed.validate();
            Instant now = clock.instant();
            return "Next run: " + shown(parsed.next(now, now, clock.getZone()));
        } catch (RuntimeException e) {
            // Half-typed expressions are normal while typing; the send reports the real problem.
            return "Not a complete cron expression yet";
        }
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
        recipients.set(csvImport.activeProperty().get() ? csvImport.recipientsProperty().get() : pastedRecipients(to.get()));
    }

    private void showRecipientCount() {
        if (csvImport.activeProperty().get()) {
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

    public AttachmentsModel attachments() {
        return attachments;
    }

    /** The imported recipients that will be queued (empty when the To field is used), for previews. */
    public List<Recipient> importedRecipients() {
        return csvImport.activeProperty().get() ? csvImport.recipientsProperty().get() : List.of();
    }

    /** Changes whenever the imported recipients do. */
    public ReadOnlyObjectProperty<List<Recipient>> importedRecipientsProperty() {
        return csvImport.recipientsProperty();
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

    public StringProperty subjectProperty() {
        return subject;
    }

    public StringProperty bodyProperty() {
        return body;
    }

    public ObjectProperty<BodyFormat> formatProperty() {
        return format;
    }

    /** The plain-text part of an HTML e-mail; empty: derived from the HTML. */
    public StringProperty textAlternativeProperty() {
        return textAlternative;
    }

    /** Says whether the plain-text part is derived or written; empty for plain text. */
    public ReadOnlyStringProperty textAlternativeHintProperty() {
        return textAlternativeHint.getReadOnlyProperty();
    }

    /** The saved template picked in the list; picking one fills the form from it. */
    public ObjectProperty<String> templateChoiceProperty() {
        return templateChoice;
    }

    /** The name the form is saved under. */
    public StringProperty templateNameProperty() {
        return templateName;
    }

    public ObservableList<String> templateNames() {
        return FXCollections.unmodifiableObservableList(templateNames);
    }

    public ReadOnlyStringProperty templateNameErrorProperty() {
        return templateNameError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty templateMessageProperty() {
        return templateMessage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> templateOutcomeProperty() {
        return templateOutcome.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty templateBusyProperty() {
        return templateBusy.getReadOnlyProperty();
    }

    /**
     * The recipients the preview goes through and each e-mail is merged for: today those typed into To, each
     * with the field {@code email}.
     */
    public ReadOnlyObjectProperty<List<Recipient>> recipientsProperty() {
        return recipients.getReadOnlyProperty();
    }

    public List<Recipient> recipients() {
        return recipients.get();
    }

    /** The preview of the merged e-mail per recipient, and Send test. */
    public PreviewModel preview() {
        return preview;
    }

    public ObjectProperty<Schedule> scheduleProperty() {
        return schedule;
    }

    public ObjectProperty<LocalDate> atDateProperty() {
        return atDate;
    }

    public StringProperty atTimeProperty() {
        return atTime;
    }

    public ObjectProperty<Integer> delayAmountProperty() {
        return delayAmount;
    }

    public ObjectProperty<DelayUnit> delayUnitProperty() {
        return delayUnit;
    }

    public StringProperty cronProperty() {
        return cron;
    }

    public ReadOnlyStringProperty recipientCountProperty() {
        return recipientCount.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty cronNextRunProperty() {
        return cronNextRun.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.get(field).getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty sendingProperty() {
        return sending.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty jobsLinkVisibleProperty() {
        return jobsLinkVisible.getReadOnlyProperty();
    }

    /** The Jobs filter the "Show these jobs" link opens: Enqueued, Scheduled, or none for recurring jobs. */
    public Optional<StateName> queuedState() {
        return queuedState;
    }
}
