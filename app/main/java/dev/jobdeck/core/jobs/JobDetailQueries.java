package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobPageSql;
import dev.jobdeck.core.jobs.jobrunr.JobStates;
import dev.jobdeck.core.store.SqlDialect;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.DeletedState;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The reads behind one job's detail: its state history as JobRunr keeps it (through JobRunr's API, {@code getJobById}),
 * its e-mail, attempts and each recipient's status, joined from the outbox and the ledger.
 */
final class JobDetailQueries {

    private final DataSource dataSource;
    private final StorageProvider storage;
    private final Outbox outbox;
    private final DeliveryLedger ledger;

    JobDetailQueries(DataSource dataSource, StorageProvider storage, Outbox outbox, DeliveryLedger ledger) {
        this.dataSource = dataSource;
        this.storage = storage;
        this.outbox = outbox;
        this.ledger = ledger;
    }

    /** Each recipient a job delivers, with its status, attempts and last reply; one entry for a single job. */
    List<JobRecipient> recipients(UUID jobId) throws SQLException {
        List<JobRecipient> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, JobPageSql.RECIPIENTS_SQL)) {
            query.setString(1, jobId.toString());
            query.setString(2, jobId.toString());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    UUID ownJob = UUID.fromString(rows.getString("job_id").trim());
                    String ownState = rows.getString("own_state");
                    result.add(new JobRecipient(rows.getObject("id", UUID.class), rows.getString("to_addr"),
                            status(rows.getBoolean("sent"), ownState, rows.getString("last_outcome")),
                            rows.getInt("attempts"), Objects.requireNonNullElse(rows.getString("last_reply"), ""),
                            ownState != null && !ownJob.equals(jobId) ? Optional.of(ownJob) : Optional.empty()));
                }
            }
        }
        return result;
    }

    /** Sent, deferred or bounced, from the e-mail's own job when it has one, else from its last attempt. */
    static JobRecipient.Status status(boolean sent, String ownJobState, String lastOutcome) {
        if (sent) {
            return JobRecipient.Status.SENT;
        }
        String outcome = lastOutcome == null ? "" : lastOutcome;
        if (ownJobState != null) {
            switch (StateName.valueOf(ownJobState)) {
                case FAILED:
                    return outcome.equals("PERMANENT_FAILURE") ? JobRecipient.Status.BOUNCED : JobRecipient.Status.FAILED;
                case DELETED:
                    return JobRecipient.Status.DELETED;
                case SUCCEEDED:
                    return JobRecipient.Status.SENT;
                default:
                    break;
            }
        }
        return switch (outcome) {
            case "" -> JobRecipient.Status.QUEUED;
            case "STARTED" -> JobRecipient.Status.SENDING;
            case "PERMANENT_FAILURE" -> JobRecipient.Status.BOUNCED;
            case "SKIPPED_ALREADY_SENT", "SENT" -> JobRecipient.Status.SENT;
            default -> JobRecipient.Status.DEFERRED;
        };
    }

    Optional<JobDetail> detail(UUID jobId) throws SQLException {
        Job job;
        try {
            job = storage.getJobById(jobId);
        } catch (JobNotFoundException e) {
            return Optional.empty();
        }
        List<JobDetail.StateChange> history = new ArrayList<>();
        for (JobState state : job.getJobStates()) {
            history.add(new JobDetail.StateChange(JobQueries.title(JobStates.of(state.getName())), state.getCreatedAt(), note(state)));
        }
        Optional<JobDetail.Failure> failure = job.getLastJobStateOfType(FailedState.class).map(f -> new JobDetail.Failure(
                f.getCreatedAt(), f.getMessage(), f.getExceptionType(), f.getExceptionMessage(), f.getStackTrace(),
                f.mustNotRetry()));
        Optional<OutboxEmail> email = outbox.findByJobId(jobId);
        List<JobRecipient> recipients = recipients(jobId);
        boolean bulk = email.isEmpty() && !recipients.isEmpty();
        List<DeliveryAttempt> attempts = bulk ? ledger.attemptsOfBulk(jobId) : ledger.attemptsOf(jobId);
        RecipientStatus status = RecipientStatus.of(JobStates.of(job.getState()),
                attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).outcome());
        Optional<Instant> next = job.getJobState() instanceof ScheduledState scheduled
                ? Optional.of(scheduled.getScheduledAt()) : Optional.empty();
        return Optional.of(new JobDetail(jobId, job.getJobName(), JobQueries.title(JobStates.of(job.getState())), job.getCreatedAt(),
                job.getUpdatedAt(), job.getRecurringJobId(), email, bulk ? "one per recipient" : MessageIds.forJob(jobId),
                history, failure, attempts, status, next, recipients));
    }

    private static String note(JobState state) {
        if (state instanceof ProcessingState processing) {
            return "on host " + processing.getServerName();
        }
        if (state instanceof FailedState failed) {
            return failed.getMessage() + (failed.getExceptionMessage() == null ? "" : ": " + failed.getExceptionMessage());
        }
        if (state instanceof ScheduledState scheduled) {
            return "for " + scheduled.getScheduledAt() + (scheduled.getReason() == null ? "" : " (" + scheduled.getReason() + ")");
        }
        if (state instanceof DeletedState deleted) {
            return deleted.getReason() == null ? "" : deleted.getReason();
        }
        return "";
    }
}
