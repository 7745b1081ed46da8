package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.JobDetail;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.JobRecipient;
import dev.jobdeck.core.jobs.RecipientStatus;
import dev.jobdeck.core.mail.ReplyStatus;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.ui.fx.JobTimes;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The detail pane's state: every field of one job, its state history, last failure and delivery attempts. */
public final class JobDetailModel {

    /** One labelled value of the overview grid. */
    public record Field(String name, String value) {
    }

    private final ZoneId zone;
    private Optional<JobDetail> shown = Optional.empty();

    // Properties
    private final ReadOnlyBooleanWrapper present = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper retryable = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("Select a job to see its detail");
    private final ReadOnlyStringWrapper failureSummary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper stackTrace = new ReadOnlyStringWrapper("");
    private final ObservableList<Field> fields = FXCollections.observableArrayList();
    private final ObservableList<Field> fieldsView = FXCollections.unmodifiableObservableList(fields);
    private final ObservableList<JobDetail.StateChange> history = FXCollections.observableArrayList();
    private final ObservableList<JobDetail.StateChange> historyView = FXCollections.unmodifiableObservableList(history);
    private final ObservableList<JobRecipient> recipients = FXCollections.observableArrayList();
    private final ObservableList<JobRecipient> recipientsView = FXCollections.unmodifiableObservableList(recipients);
    private final ObservableList<DeliveryAttempt> attempts = FXCollections.observableArrayList();
    private final ObservableList<DeliveryAttempt> attemptsView = FXCollections.unmodifiableObservableList(attempts);

    JobDetailModel(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * Shows {@code detail}. The same detail arrives twice a second while the screen is live; it is only
     * applied when it changed so that the operator's scroll position and text selection survive.
     */
    void show(Optional<JobDetail> detail) {
        if (detail.equals(shown)) {
            return;
        }
        shown = detail;
        present.set(detail.isPresent());
        if (detail.isEmpty()) {
            title.set("Select a job to see its detail");
            retryable.set(false);
            fields.clear();
            history.clear();
            attempts.clear();
            recipients.clear();
            failureSummary.set("");
            stackTrace.set("");
            return;
        }
        JobDetail job = detail.get();
        title.set(job.state() + " · " + job.email().map(OutboxEmail::to).orElse(job.name()));
        // A bulk job's recipients are listed one by one under Recipients.
        retryable.set(JobCommands.REQUEUEABLE.stream().anyMatch(state -> JobQueries.title(state).equals(job.state())));
        fields.setAll(fieldsOf(job));
        history.setAll(job.history());
        attempts.setAll(job.attempts());
        recipients.setAll(job.recipients());
        failureSummary.set(job.lastFailure()
                .map(f -> JobTimes.exact(f.at(), zone) + " · " + f.exceptionType() + ": " + f.exceptionMessage()
                        + (f.willNotRetry() ? " (will not be retried)" : ""))
                .orElse("This job has not failed."));
        stackTrace.set(job.lastFailure().map(JobDetail.Failure::stackTrace).orElse(""));
    }

    private List<Field> fieldsOf(JobDetail job) {
        Optional<OutboxEmail> email = job.email();
        return List.of(
                new Field("Job id", job.jobId().toString()),
                new Field("Name", job.name()),
                new Field("State", job.state()),
                new Field("Created", JobTimes.exact(job.createdAt(), zone)),
                new Field("Updated", JobTimes.exact(job.updatedAt(), zone)),
                new Field("Recipient", email.map(OutboxEmail::to).orElse(job.bulk()
                        ? job.recipients().size() + " recipients (bulk job; see Recipients)" : "")),
                new Field("From", email.map(OutboxEmail::from).orElse("")),
                new Field("Cc", email.map(OutboxEmail::cc).orElse("")),
                new Field("Bcc", email.map(OutboxEmail::bcc).orElse("")),
                new Field("Subject", email.map(OutboxEmail::subject).orElse("")),
                new Field("Delivery", delivery(job)),
                new Field("Message-ID", job.messageId()),
                new Field("Recurring job id", job.recurringJobId().orElse("")));
    }

    /** e.g. "bounced: 550 5.1.1 (bad destination mailbox address)" or "deferred: next attempt 14:02:10". */
    private String delivery(JobDetail job) {
        StringBuilder text = new StringBuilder(job.recipientStatus().label());
        job.attempts().stream().reduce((first, second) -> second)
                .filter(last -> last.smtpCode() != null)
                .ifPresent(last -> {
                    text.append(": ").append(ReplyStatus.of(last.smtpCode(), last.smtpReply()));
                    String meaning = ReplyStatus.meaning(last.smtpReply());
                    if (!meaning.isEmpty()) {
                        text.append(" (").append(meaning).append(')');
                    }
                });
        if (job.recipientStatus() != RecipientStatus.SENT) {
            job.nextAttempt().ifPresent(at -> text.append("; next attempt ").append(JobTimes.exact(at, zone)));
        }
        return text.toString();
    }

    public Optional<UUID> jobId() {
        return shown.map(JobDetail::jobId);
    }

    public Optional<JobDetail> current() {
        return shown;
    }

    public ReadOnlyBooleanProperty presentProperty() {
        return present.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty retryableProperty() {
        return retryable.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty failureSummaryProperty() {
        return failureSummary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stackTraceProperty() {
        return stackTrace.getReadOnlyProperty();
    }

    public ObservableList<Field> fields() {
        return fieldsView;
    }

    public ObservableList<JobDetail.StateChange> history() {
        return historyView;
    }

    /** Each recipient the job delivers, with its status; one for a single e-mail, many for a bulk job. */
    public ObservableList<JobRecipient> recipients() {
        return recipientsView;
    }

    public ObservableList<DeliveryAttempt> attempts() {
        return attemptsView;
    }
}
