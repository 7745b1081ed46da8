package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.InvalidSendRequestException;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.jobs.TestSend;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.templates.TemplateLibrary;
import dev.jobdeck.ui.fx.FieldErrors;
import dev.jobdeck.ui.fx.Navigation;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.compose.ScheduleModel.Schedule;
import dev.jobdeck.ui.compose.ScheduleModel.Timing;
import dev.jobdeck.core.jobs.query.JobState;
import javafx.beans.Observable;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * State and commands of the Compose screen as a whole: the panes' models ({@link #recipients()},
 * {@link #templates()}, {@link #message()}, {@link #attachments()}, {@link #schedule()}, {@link #preview()}),
 * the per-field problems of the form they make together, and Queue with its outcome.
 */
public final class ComposeModel {

    public enum Outcome { NONE, SUCCESS, DANGER }

    private final EmailQueue queue;
    private final TaskRunner tasks;
    private final Navigation navigation;

    // Properties: derived state, read-only to the view
    private final FieldErrors<Field> errors = new FieldErrors<>(Field.class);
    private final ReadOnlyBooleanWrapper sending = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);
    private final ReadOnlyBooleanWrapper jobsLinkVisible = new ReadOnlyBooleanWrapper(false);
    private Optional<JobState> queuedState = Optional.empty();

    // The panes' models
    private final RecipientsModel recipients;
    private final MessageModel message;
    private final TemplatesModel templates;
    private final AttachmentsModel attachments;
    private final ScheduleModel schedule;
    private final PreviewModel preview;

    public ComposeModel(EmailQueue queue, TemplateLibrary templates, TestSend testSend, TaskRunner tasks,
                        Navigation navigation, Clock clock) {
        this.queue = queue;
        this.tasks = tasks;
        this.navigation = navigation;
        recipients = new RecipientsModel(tasks);
        message = new MessageModel();
        this.templates = new TemplatesModel(templates, tasks, message, errors::writable);
        attachments = new AttachmentsModel(tasks, errors.writable(Field.ATTACHMENTS));
        schedule = new ScheduleModel(clock);
        errors.clearOnEdit(recipients.fromProperty(), Field.FROM);
        // A bad address is marked as it is typed, with the words Queue would use (issue 19); an edit replaces what
        // Queue said by the check's last word, which the check of the new text then follows.
        recipients.toProperty().addListener((obs, old, text) -> showToProblem(recipients.toProblemProperty().get()));
        recipients.toProblemProperty().addListener((obs, old, problem) -> showToProblem(problem));
        errors.clearOnEdit(recipients.csvImport().recipientsProperty(), Field.TO);
        errors.clearOnEdit(recipients.ccProperty(), Field.CC);
        errors.clearOnEdit(recipients.bccProperty(), Field.BCC);
        errors.clearOnEdit(message.subjectProperty(), Field.SUBJECT);
        errors.clearOnEdit(message.bodyProperty(), Field.BODY);
        for (ObservableValue<?> part : schedule.inputs()) {
            errors.clearOnEdit(part, Field.WHEN);
        }
        errors.clearOnEdit(message.textAlternativeProperty(), Field.TEXT_ALTERNATIVE);
        List<Observable> previewed = new ArrayList<>();
        previewed.add(recipients.fromProperty());
        previewed.addAll(message.inputs());
        preview = new PreviewModel(recipients.listProperty(), () -> request(When.now()), previewed, testSend, tasks,
                errors::writable);
        this.templates.refreshTemplates();
    }


    // Commands

    private void showToProblem(String problem) {
        if (problem.isEmpty()) {
            errors.clear(Field.TO);
        } else {
            errors.set(Field.TO, problem);
        }
    }

    /** Validates and queues on the task runner; the outcome arrives later on the UI thread. */
    public void send() {
        if (sending.get()) {
            return;
        }
        errors.clearAll();
        showOutcome(Outcome.NONE, "");
        Timing timing = schedule.timing();
        if (recipients.csvImport().readingProperty().get()) {
            showOutcome(Outcome.DANGER, "Nothing was queued: the CSV file is still being read.");
            return;
        }
        SendRequest request = request(timing.when());
        sending.set(true);
        tasks.run(() -> queue.queue(request),
                queued -> {
                    sending.set(false);
                    showQueued(queued, timing.kind());
                },
                failure -> {
                    sending.set(false);
                    showFailure(failure, timing.problem());
                });
    }

    /** The form as a request: what Queue sends, and what the preview and Send test merge. */
    SendRequest request(When when) {
        return new SendRequest(recipients.fromProperty().get(), recipients.typedTo(), recipients.ccProperty().get(),
                recipients.bccProperty().get(), message.subjectProperty().get(), message.bodyProperty().get(), when,
                message.formatProperty().get(), message.textAlternativeToSend(), templates.usedTemplate(),
                recipients.importedRecipients(), attachments.files());
    }

    /**
     * What Clear would empty that the operator typed or chose, as the question to ask first; empty when the form holds
     * nothing to lose (issue 19: Clear emptied a long form at one click).
     */
    public Optional<String> clearQuestion() {
        List<String> filled = new ArrayList<>();
        if (recipients.imported()) {
            filled.add("the imported recipients");
        } else if (!recipients.toProperty().get().isBlank()) {
            filled.add("To");
        }
        if (!recipients.ccProperty().get().isBlank() || !recipients.bccProperty().get().isBlank()) {
            filled.add("Cc and Bcc");
        }
        if (!message.subjectProperty().get().isBlank()) {
            filled.add("Subject");
        }
        if (!message.bodyProperty().get().isBlank()) {
            filled.add("Body");
        }
        int files = attachments.files().size();
        if (files > 0) {
            filled.add(files == 1 ? "1 attachment" : files + " attachments");
        }
        if (filled.isEmpty()) {
            return Optional.empty();
        }
        String what = filled.size() == 1 ? filled.get(0)
                : String.join(", ", filled.subList(0, filled.size() - 1)) + " and " + filled.get(filled.size() - 1);
        return Optional.of("Clear the form? " + what + " will be emptied; From stays. Nothing is queued or deleted.");
    }

    /** Empties everything but From, so the next batch starts clean while the sender stays. */
    public void clear() {
        recipients.clear();
        message.clear();
        templates.clear();
        schedule.clear();
        attachments.clear();
        errors.clearAll();
        showOutcome(Outcome.NONE, "");
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
                    + (queued.firstRun() == null ? "" : ", first run " + schedule.shown(queued.firstRun()))
                    + ". The schedule is back to Now, so the next Queue sends once.";
            // Left on Cron, the next Queue would create more recurring jobs where one e-mail was meant (issue 19).
            schedule.scheduleProperty().set(Schedule.NOW);
        } else if (kind == Schedule.NOW) {
            queuedState = Optional.of(JobState.ENQUEUED);
            message = "Queued " + mails + " as " + jobs + " (enqueued now)";
        } else {
            queuedState = Optional.of(JobState.SCHEDULED);
            message = "Scheduled " + mails + " for " + schedule.shown(queued.firstRun());
        }
        showOutcome(Outcome.SUCCESS, message);
    }

    private void showFailure(Throwable failure, Optional<String> whenOverride) {
        if (failure instanceof InvalidSendRequestException invalid) {
            invalid.problems().forEach(errors::set);
            whenOverride.ifPresent(message -> errors.set(Field.WHEN, message));
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

    // The panes' models

    /** From, To (typed or imported from CSV), Cc and Bcc. */
    public RecipientsModel recipients() {
        return recipients;
    }

    /** Subject, body, format and plain-text part. */
    public MessageModel message() {
        return message;
    }

    /** The saved templates the message is filled from or saved as. */
    public TemplatesModel templates() {
        return templates;
    }

    /** The files that go with every e-mail. */
    public AttachmentsModel attachments() {
        return attachments;
    }

    /** Now, at a time, after a delay or on a cron schedule. */
    public ScheduleModel schedule() {
        return schedule;
    }

    /** The preview of the merged e-mail per recipient, and Send test. */
    public PreviewModel preview() {
        return preview;
    }

    // Property accessors

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.property(field);
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
    public Optional<JobState> queuedState() {
        return queuedState;
    }
}
