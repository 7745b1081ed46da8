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
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Read models for the dashboard and the CLI. The jobs table is one indexed SQL query over JobRunr's
 * {@code jobrunr_jobs} joined with JobDeck's outbox and ledger, one page at a time: JobRunr's own
 * API cannot join, and loading jobs to filter them in memory would not scale to a million rows.
 */
public final class JobQueries {

    // A bulk job has no e-mail of its own (e.id is null): its row shows its first recipient and how many more,
    // the most tries any of its recipients took (not their sum, which would read as 50 tries for 50 recipients),
    // and the host and last reply of the latest attempt at any of them.
    private static final String BULK_ATTEMPTS = "FROM jd_delivery_attempt a JOIN jd_email m ON m.id = a.email_id"
            + " WHERE m.bulk_job_id = j.id";
    private static final String PAGE_SQL = """
            SELECT j.id, j.state, j.createdAt, j.updatedAt, j.scheduledAt,
                   CASE WHEN e.id IS NOT NULL THEN e.to_addr ELSE
                     (SELECT MIN(m.to_addr) || ' (+' || (COUNT(*) - 1) || ')' FROM jd_email m WHERE m.bulk_job_id = j.id)
                   END AS to_addr,
                   CASE WHEN e.id IS NOT NULL THEN e.subject ELSE
                     (SELECT MIN(m.subject) FROM jd_email m WHERE m.bulk_job_id = j.id) END AS subject,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT COUNT(*) FROM jd_delivery_attempt a WHERE a.job_id = j.id AND a.outcome <> 'SKIPPED_ALREADY_SENT')
                   ELSE (SELECT COALESCE(MAX(a.attempt), 0) %1$s AND a.outcome <> 'SKIPPED_ALREADY_SENT') END AS attempts,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT a.host FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1)
                   ELSE (SELECT a.host %1$s ORDER BY a.started_at DESC LIMIT 1) END AS host,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT a.smtp_reply FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1)
                   ELSE (SELECT a.smtp_reply %1$s ORDER BY a.started_at DESC LIMIT 1) END AS reply,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT a.smtp_code FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1)
                   ELSE (SELECT a.smtp_code %1$s ORDER BY a.started_at DESC LIMIT 1) END AS code,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT a.outcome FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1)
                   ELSE (SELECT a.outcome %1$s ORDER BY a.started_at DESC LIMIT 1) END AS outcome
            FROM jobrunr_jobs j LEFT JOIN jd_email e ON e.job_id = j.id
            """.formatted(BULK_ATTEMPTS);
    /**
     * Jobs that deliver to a matching address or with a matching subject (their own job, or the bulk job they are part
     * of), or the job with that id.
     */
    private static final String SEARCH_FILTER = " (j.id IN (SELECT s.job_id FROM jd_email s WHERE LOWER(s.to_addr) LIKE ?"
            + " OR LOWER(s.subject) LIKE ?"
            + " UNION SELECT s.bulk_job_id FROM jd_email s WHERE s.bulk_job_id IS NOT NULL"
            + " AND (LOWER(s.to_addr) LIKE ? OR LOWER(s.subject) LIKE ?)) OR j.id = ?)";
    private static final String RECIPIENTS_SQL = """
            SELECT e.id, e.to_addr, e.job_id, j.state AS own_state,
                   EXISTS (SELECT 1 FROM jd_delivery_attempt a WHERE a.email_id = e.id AND a.outcome = 'SENT') AS sent,
                   (SELECT COUNT(*) FROM jd_delivery_attempt a WHERE a.email_id = e.id
                      AND a.outcome <> 'SKIPPED_ALREADY_SENT') AS attempts,
                   (SELECT a.outcome FROM jd_delivery_attempt a WHERE a.email_id = e.id
                      ORDER BY a.started_at DESC, a.attempt DESC LIMIT 1) AS last_outcome,
                   (SELECT a.smtp_reply FROM jd_delivery_attempt a WHERE a.email_id = e.id
                      ORDER BY a.started_at DESC, a.attempt DESC LIMIT 1) AS last_reply
            FROM jd_email e LEFT JOIN jobrunr_jobs j ON j.id = e.job_id
            WHERE e.job_id = ? OR e.bulk_job_id = ?
            ORDER BY e.to_addr, e.id
            """;

    private final DataSource dataSource;
    private final StorageProvider storage;
    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private volatile String jobsPrimaryKey;

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
        return page(state, "", offset, limit);
    }

    /**
     * A page of jobs in {@code state} (all states when empty) that deliver to a recipient whose address contains
     * {@code recipient} (ignoring case; all jobs when blank), most recently updated first. A recipient of a bulk
     * job finds the bulk job, and its own job when it has one (a retry or a bounce).
     */
    public JobPage page(Optional<StateName> state, String recipient, int offset, int limit) throws SQLException {
        return page(new JobFilter(state, recipient, Optional.empty(), Optional.empty()), offset, limit);
    }

    /** A page of the jobs {@code filter} matches, most recently updated first, with how many match in all. */
    public JobPage page(JobFilter filter, int offset, int limit) throws SQLException {
        Where where = where(filter);
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM jobrunr_jobs j" + where.sql())) {
                where.bind(count, 1);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<JobRow> result = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    PAGE_SQL + where.sql() + " ORDER BY j.updatedAt DESC, j.id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                int index = where.bind(query, 1);
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

    /** How many jobs {@code filter} matches: what a bulk action's confirmation states. */
    public long count(JobFilter filter) throws SQLException {
        Where where = where(filter);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM jobrunr_jobs j" + where.sql())) {
            where.bind(count, 1);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * The ids of at most {@code limit} jobs {@code filter} matches, in id order, after {@code after} (from the first
     * when empty): keyset paging for a bulk action. Ids, unlike update times, do not change when a job is acted on, so a
     * walk visits each job once however its state moves meanwhile. Without a search the walk follows the primary key:
     * H2 would otherwise take the state index and sort every matching job for each chunk (1-2 s a chunk at 100,000
     * failed jobs, against 20 ms); a search narrows the jobs through its own subquery first.
     */
    public List<UUID> matchingIds(JobFilter filter, Optional<UUID> after, int limit) throws SQLException {
        Where where = where(filter);
        List<UUID> ids = new ArrayList<>(Math.min(limit, 10_000));
        try (Connection connection = dataSource.getConnection()) {
            String table = filter.hasSearch() ? "jobrunr_jobs j" : "jobrunr_jobs j USE INDEX (" + primaryKey(connection) + ")";
            String sql = "SELECT j.id FROM " + table + where.sql() + (after.isPresent()
                    ? (where.sql().isEmpty() ? " WHERE" : " AND") + " j.id > ?" : "") + " ORDER BY j.id FETCH FIRST ? ROWS ONLY";
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                int index = where.bind(query, 1);
                if (after.isPresent()) {
                    query.setString(index++, after.get().toString());
                }
                query.setInt(index, limit);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ids.add(UUID.fromString(rows.getString(1).trim()));
                    }
                }
            }
        }
        return ids;
    }

    /** H2 names the primary key's index itself (PRIMARY_KEY_9); read once. */
    private String primaryKey(Connection connection) throws SQLException {
        String known = jobsPrimaryKey;
        if (known != null) {
            return known;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES"
                + " WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = 'JOBRUNR_JOBS' AND INDEX_TYPE_NAME = 'PRIMARY KEY'");
             ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("JobRunr's jobs table has no primary key");
            }
            // Quoted: the name is H2's, used as it is.
            jobsPrimaryKey = '"' + rows.getString(1).replace("\"", "\"\"") + '"';
            return jobsPrimaryKey;
        }
    }

    /** A WHERE clause over {@code jobrunr_jobs j} (empty for all jobs) and the values its placeholders take, in order. */
    private record Where(String sql, List<Object> values) {

        int bind(PreparedStatement statement, int first) throws SQLException {
            int index = first;
            for (Object value : values) {
                if (value instanceof Instant instant) {
                    statement.setTimestamp(index++, Timestamp.from(instant));
                } else {
                    statement.setString(index++, (String) value);
                }
            }
            return index;
        }
    }

    /**
     * What "matches" means in SQL, for a page, a count and a bulk action alike. The search text matches a recipient's
     * address or a subject (part of it, ignoring case: its own job, or the bulk job it is part of) or a job id (whole).
     */
    private static Where where(JobFilter filter) {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        filter.state().ifPresent(state -> {
            conditions.add(" j.state = ?");
            values.add(state.name());
        });
        filter.since().ifPresent(since -> {
            conditions.add(" j.updatedAt >= ?");
            values.add(since);
        });
        filter.until().ifPresent(until -> {
            conditions.add(" j.updatedAt < ?");
            values.add(until);
        });
        if (filter.hasSearch()) {
            String pattern = "%" + filter.search().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\")
                    .replace("%", "\\%").replace("_", "\\_") + "%";
            String id = jobId(filter.search()).map(UUID::toString).orElse("");
            conditions.add(SEARCH_FILTER);
            values.addAll(List.of(pattern, pattern, pattern, pattern, id));
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE" + String.join(" AND", conditions), values);
    }

    private static Optional<UUID> jobId(String text) {
        try {
            return text.length() == 36 ? Optional.of(UUID.fromString(text)) : Optional.empty();
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /** Each recipient a job delivers, with its status, attempts and last reply; one entry for a single job. */
    public List<JobRecipient> recipients(UUID jobId) throws SQLException {
        List<JobRecipient> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(RECIPIENTS_SQL)) {
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
        List<JobRecipient> recipients = recipients(jobId);
        boolean bulk = email.isEmpty() && !recipients.isEmpty();
        List<DeliveryAttempt> attempts = bulk ? ledger.attemptsOfBulk(jobId) : ledger.attemptsOf(jobId);
        RecipientStatus status = RecipientStatus.of(job.getState(),
                attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).outcome());
        Optional<Instant> next = job.getJobState() instanceof ScheduledState scheduled
                ? Optional.of(scheduled.getScheduledAt()) : Optional.empty();
        return Optional.of(new JobDetail(jobId, job.getJobName(), title(job.getState()), job.getCreatedAt(),
                job.getUpdatedAt(), job.getRecurringJobId(), email, bulk ? "one per recipient" : MessageIds.forJob(jobId),
                history, failure, attempts, status, next, recipients));
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
