package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.RecurringJob;
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
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Read models for the dashboard and the CLI. The jobs table is one indexed SQL query over JobRunr's
 * {@code jobrunr_jobs} joined with JobDeck's outbox and ledger, one page at a time: JobRunr's own
 * API cannot join, and loading jobs to filter them in memory would not scale to a million rows.
 */
public final class JobQueries {

    private static final String PAGE_SQL = """
            SELECT j.id, j.state, j.createdAt, j.updatedAt, j.scheduledAt, e.to_addr, e.subject,
                   (SELECT COUNT(*) FROM jd_delivery_attempt a WHERE a.job_id = j.id AND a.outcome <> 'SKIPPED_ALREADY_SENT') AS attempts,
                   (SELECT a.host FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1) AS host,
                   (SELECT a.smtp_reply FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1) AS reply,
                   (SELECT a.smtp_code FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1) AS code,
                   (SELECT a.outcome FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1) AS outcome
            FROM jobrunr_jobs j LEFT JOIN jd_email e ON e.job_id = j.id
            """;

    private final DataSource dataSource;
    private final StorageProvider storage;
    private final Outbox outbox;
    private final DeliveryLedger ledger;

    public JobQueries(DataSource dataSource, StorageProvider storage, Outbox outbox, DeliveryLedger ledger) {
        this.dataSource = dataSource;
        this.storage = storage;
        this.outbox = outbox;
        this.ledger = ledger;
    }

    public JobCounts counts() throws SQLException {
        Map<StateName, Long> counts = new EnumMap<>(StateName.class);
        for (StateName state : JobCounts.SHOWN) {
            counts.put(state, 0L);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT state, COUNT(*) FROM jobrunr_jobs GROUP BY state");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(StateName.valueOf(rows.getString(1)), rows.getLong(2));
            }
        }
        return new JobCounts(counts);
    }

    /** A page of jobs in {@code state} (all states when empty), most recently updated first. */
    public JobPage page(Optional<StateName> state, int offset, int limit) throws SQLException {
        String where = state.isPresent() ? " WHERE j.state = ?" : "";
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM jobrunr_jobs j" + where)) {
                if (state.isPresent()) {
                    count.setString(1, state.get().name());
                }
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<JobRow> result = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    PAGE_SQL + where + " ORDER BY j.updatedAt DESC, j.id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                int index = 1;
                if (state.isPresent()) {
                    query.setString(index++, state.get().name());
                }
                query.setInt(index++, offset);
                query.setInt(index, limit);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        result.add(new JobRow(
                                UUID.fromString(rows.getString("id").trim()),
                                rows.getString("to_addr"),
                                rows.getString("subject"),
                                StateName.valueOf(rows.getString("state")),
                                rows.getInt("attempts"),
                                rows.getString("host"),
                                instant(rows.getTimestamp("createdAt")),
                                instant(rows.getTimestamp("updatedAt")),
                                instant(rows.getTimestamp("scheduledAt")),
                                rows.getString("reply"),
                                outcome(rows.getString("outcome")),
                                (Integer) rows.getObject("code")));
                    }
                }
            }
            return new JobPage(result, total, offset, limit);
        }
    }

    public Optional<JobDetail> detail(UUID jobId) throws SQLException {
        Job job;
        try {
            job = storage.getJobById(jobId);
        } catch (JobNotFoundException e) {
            return Optional.empty();
        }
        List<JobDetail.StateChange> history = new ArrayList<>();
        for (JobState state : job.getJobStates()) {
            history.add(new JobDetail.StateChange(title(state.getName()), state.getCreatedAt(), note(state)));
        }
        Optional<JobDetail.Failure> failure = job.getLastJobStateOfType(FailedState.class).map(f -> new JobDetail.Failure(
                f.getCreatedAt(), f.getMessage(), f.getExceptionType(), f.getExceptionMessage(), f.getStackTrace(),
                f.mustNotRetry()));
        Optional<OutboxEmail> email = outbox.findByJobId(jobId);
        List<DeliveryAttempt> attempts = ledger.attemptsOf(jobId);
        RecipientStatus status = RecipientStatus.of(job.getState(),
                attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).outcome());
        Optional<Instant> next = job.getJobState() instanceof ScheduledState scheduled
                ? Optional.of(scheduled.getScheduledAt()) : Optional.empty();
        return Optional.of(new JobDetail(jobId, job.getJobName(), title(job.getState()), job.getCreatedAt(),
                job.getUpdatedAt(), job.getRecurringJobId(), email, MessageIds.forJob(jobId), history, failure,
                attempts, status, next));
    }

    public List<RecurringEmail> recurring() throws SQLException {
        List<RecurringEmail> result = new ArrayList<>();
        for (RecurringJob job : storage.getRecurringJobs()) {
            Optional<OutboxEmail> template = outbox.templateOf(job.getId());
            result.add(new RecurringEmail(job.getId(), job.getJobName(), job.getScheduleExpression(), job.getZoneId(),
                    job.getNextRun(), template.map(OutboxEmail::to).orElse(""),
                    template.map(OutboxEmail::subject).orElse("")));
        }
        return result;
    }

    public static String title(StateName state) {
        String name = state.name();
        return name.charAt(0) + name.substring(1).toLowerCase();
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
        return "";
    }

    private static DeliveryAttempt.Outcome outcome(String name) {
        return name == null ? null : DeliveryAttempt.Outcome.valueOf(name);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
