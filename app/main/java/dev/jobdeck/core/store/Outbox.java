package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.Attachment;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** JobDeck's outbox table: the e-mails themselves, keyed by id and by the job that delivers each. */
public final class Outbox {

    private final DataSource dataSource;
    private final JobTable jobs;

    public Outbox(DataSource dataSource, JobTable jobs) {
        this.dataSource = dataSource;
        this.jobs = jobs;
    }

    /** Writes all rows in one transaction: either every recipient is in the outbox or none is. */
    public void insertAll(List<OutboxEmail> emails) throws SQLException {
        insertAll(emails, List.of(), null);
    }

    /** Writes the batch's attachments and all rows in one transaction: all of them are in the outbox, or none. */
    public void insertAll(List<OutboxEmail> emails, List<OutboxAttachment> attachments) throws SQLException {
        insertAll(emails, attachments, null);
    }

    /** Writes in-memory e-mails handed to the host {@code memoryHost}, in one transaction. */
    public void handOver(List<OutboxEmail> emails, UUID memoryHost) throws SQLException {
        insertAll(emails, List.of(), memoryHost);
    }

    /** Writes in-memory e-mails and their batch's attachments, handed to the host {@code memoryHost}. */
    public void handOver(List<OutboxEmail> emails, List<OutboxAttachment> attachments, UUID memoryHost) throws SQLException {
        insertAll(emails, attachments, memoryHost);
    }

    /** The stored attachments among {@code ids}; an id with no row (deleted since) is simply absent from the map. */
    public Map<UUID, Attachment> attachments(Collection<UUID> ids) throws SQLException {
        Map<UUID, Attachment> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, 
                     "SELECT id, file_name, content_type, content FROM jd_attachment WHERE id = ?")) {
            for (UUID id : ids) {
                query.setObject(1, id);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        found.put(id, new Attachment(rows.getString("file_name"), rows.getString("content_type"),
                                rows.getBytes("content")));
                    }
                }
            }
        }
        return found;
    }

    /** E-mails handed to an in-memory host, oldest first. */
    public List<OutboxEmail> handedTo(UUID memoryHost) throws SQLException {
        List<OutboxEmail> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT " + OutboxRows.COLUMNS + " FROM jd_email"
                     + " WHERE memory_host = ? ORDER BY created_at, id")) {
            query.setObject(1, memoryHost);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    result.add(OutboxRows.read(rows));
                }
            }
        }
        return result;
    }

    private void insertAll(List<OutboxEmail> emails, List<OutboxAttachment> attachments, UUID memoryHost)
            throws SQLException {
        insertAll(emails, attachments, memoryHost, email -> null);
    }

    private void insertAll(List<OutboxEmail> emails, List<OutboxAttachment> attachments, UUID memoryHost,
                           Function<OutboxEmail, UUID> bulkJobOf) throws SQLException {
        Transactions.inTransaction(dataSource, connection -> {
            OutboxWrites.writeRows(connection, emails, attachments, memoryHost, bulkJobOf);
            OutboxWrites.markUnqueued(connection, emails, null);
            return null;
        });
    }

    /** A batch's e-mails to be written, and when their jobs are due (null: now). */
    public record NewBatch(UUID batchId, Instant runAt, BatchKey key) {
    }

    /** The key a sender gave a batch ({@code send --key}) and a fingerprint of what the batch sends. */
    public record BatchKey(String key, String fingerprint) {
    }

    /** A batch queued under a key: its id, what it sent and how many e-mails. */
    public record KeyedBatch(String key, UUID batchId, String fingerprint, int emails) {
    }

    /**
     * Writes a one-off batch in one transaction: its attachments, its e-mails (bulk jobs named by {@code bulkJobOf},
     * may return null), the marker that its jobs are still to be created, and its key. That commit is the moment the
     * batch is accepted, whole; whoever then holds the marker ({@link UnqueuedBatches}) creates the jobs. With a key
     * already used, nothing is written and the batch that has it is returned.
     *
     * @throws CommitUnconfirmedException when the store stopped answering during the commit: it may have happened
     */
    public Optional<KeyedBatch> insertBatch(NewBatch batch, List<OutboxEmail> emails, List<OutboxAttachment> attachments,
                                            Function<OutboxEmail, UUID> bulkJobOf) throws SQLException {
        try {
            return Transactions.inTransaction(dataSource, connection -> {
                if (batch.key() != null) {
                    Optional<KeyedBatch> existing = OutboxWrites.keyedBatch(connection, batch.key().key());
                    if (existing.isPresent()) {
                        return existing;
                    }
                    OutboxWrites.insertKey(connection, batch, emails.size());
                }
                OutboxWrites.writeRows(connection, emails, attachments, null, bulkJobOf);
                OutboxWrites.markUnqueued(connection, emails, batch.runAt());
                return Optional.<KeyedBatch>empty();
            });
        } catch (SQLException e) {
            if (batch.key() != null && !(e instanceof CommitUnconfirmedException) && "23505".equals(e.getSQLState())) {
                // Another send with the same key committed first.
                Optional<KeyedBatch> winner = keyedBatch(batch.key().key());
                if (winner.isPresent()) {
                    return winner;
                }
            }
            throw e;
        }
    }

    /** The batch queued under {@code key}, if any. */
    public Optional<KeyedBatch> keyedBatch(String key) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return OutboxWrites.keyedBatch(connection, key);
        }
    }

    /** The job that delivers each e-mail of a batch (a bulk job's id repeats), in the order they were written. */
    public List<UUID> jobsOfBatch(UUID batchId) throws SQLException {
        List<UUID> jobs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT COALESCE(bulk_job_id, job_id) FROM jd_email"
                     + " WHERE batch_id = ? AND kind = 'ONE_OFF' ORDER BY id")) {
            query.setObject(1, batchId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    jobs.add(UUID.fromString(rows.getString(1).trim()));
                }
            }
        }
        return jobs;
    }

    /** Inserts {@code email} unless a row for its job exists already (a retried recurring run), and returns the stored row. */
    public OutboxEmail insertIfJobAbsent(OutboxEmail email) throws SQLException {
        Optional<OutboxEmail> existing = findByJobId(email.jobId());
        if (existing.isPresent()) {
            return existing.get();
        }
        insertAll(List.of(email));
        return email;
    }

    public Optional<OutboxEmail> find(UUID id) throws SQLException {
        return queryOne("SELECT " + OutboxRows.COLUMNS + " FROM jd_email WHERE id = ?", id);
    }

    public Optional<OutboxEmail> findByJobId(UUID jobId) throws SQLException {
        return queryOne("SELECT " + OutboxRows.COLUMNS + " FROM jd_email WHERE job_id = ?", jobId.toString());
    }

    /**
     * One-off e-mails whose job was never created: written just before a crash, delivered on the next start.
     * E-mails of a bulk job are not among them: see {@link #bulksWithoutJob()}.
     */
    public List<OutboxEmail> withoutJob() throws SQLException {
        return withoutJob(false);
    }

    /** Like {@link #withoutJob()}, for the rows written before {@code jd_unqueued_batch}, flagged one by one. */
    public List<OutboxEmail> legacyWithoutJob() throws SQLException {
        return withoutJob(true);
    }

    private List<OutboxEmail> withoutJob(boolean legacy) throws SQLException {
        List<OutboxEmail> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT " + OutboxRows.COLUMNS + " FROM "
                     + emails(connection, legacy) + " WHERE e.kind = 'ONE_OFF' AND "
                     + (legacy ? LEGACY_UNQUEUED : UNQUEUED) + " AND e.bulk_job_id IS NULL"
                     + " AND " + jobs.noJobWithId("e.job_id"));
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                result.add(OutboxRows.read(rows));
            }
        }
        return result;
    }

    /** After recovery: every e-mail flagged the older way as waiting for its job now has one. */
    public void markLegacyJobsCreated() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement legacy = SqlDialect.prepare(connection, 
                     "UPDATE jd_email SET job_created = TRUE WHERE NOT job_created")) {
            legacy.executeUpdate();
        }
    }

    /** An e-mail whose job may not have been created: its batch is still noted, or (older rows) its own flag says so. */
    private static final String UNQUEUED =
            "(e.batch_id IN (SELECT u.batch_id FROM jd_unqueued_batch u) OR NOT e.job_created)";
    private static final String LEGACY_UNQUEUED = "NOT e.job_created";
    private static final String EMAILS = "jd_email e";

    /**
     * The e-mails to look through. Those of the older kind through the index on the flag, which holds none of them once
     * recovered: left to itself H2 reads every one-off e-mail through the bulk job index's NULLs (21 s of a million-job
     * console's start). PostgreSQL takes no such hint.
     */
    private static String emails(Connection connection, boolean legacy) throws SQLException {
        return legacy ? EMAILS + SqlDialect.of(connection).useIndex("jd_email_job_created_idx") : EMAILS;
    }

    /** Bulk jobs whose e-mails were committed but whose job was never created (a crash between the two commits). */
    public List<Bulk> bulksWithoutJob() throws SQLException {
        return bulksWithoutJob(false);
    }

    /** Like {@link #bulksWithoutJob()}, for the rows written before {@code jd_unqueued_batch}, flagged one by one. */
    public List<Bulk> legacyBulksWithoutJob() throws SQLException {
        return bulksWithoutJob(true);
    }

    private List<Bulk> bulksWithoutJob(boolean legacy) throws SQLException {
        List<Bulk> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT e.bulk_job_id, MIN(e.to_addr), COUNT(*),"
                     + " MIN(e.subject) FROM " + emails(connection, legacy) + " WHERE e.kind = 'ONE_OFF' AND "
                     + (legacy ? LEGACY_UNQUEUED : UNQUEUED)
                     + " AND e.bulk_job_id IS NOT NULL"
                     + " AND " + jobs.noJobWithId("e.bulk_job_id")
                     + " GROUP BY e.bulk_job_id");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                result.add(new Bulk(UUID.fromString(rows.getString(1).trim()), rows.getString(2), rows.getInt(3),
                        rows.getString(4)));
            }
        }
        return result;
    }

    /** A bulk job's e-mails as a job name shows them: the first recipient, how many, the subject. */
    public record Bulk(UUID jobId, String firstRecipient, int recipients, String subject) {
    }

    /**
     * One e-mail of a bulk job and what the ledger knows of it, read when the bulk job runs.
     *
     * @param sent        the server accepted it in an earlier attempt (a bulk job re-run after a crash skips it)
     * @param attempts    the highest attempt number recorded so far, so the next one is numbered without another query
     * @param hasOwnJob   it was handed to a job of its own (a retry or a bounce) and is no longer the bulk job's
     */
    public record BulkMember(OutboxEmail email, boolean sent, int attempts, boolean hasOwnJob) {
    }

    /**
     * The e-mails bulk job {@code bulkJobId} delivers, in a stable order, each with what the ledger and JobRunr
     * know of it. One query over the bulk job's index: an e-mail's row comes once per attempt (a bulk records its
     * recipients' attempts under their own job ids), or once with no attempt, and its own job joins by that id.
     * A bulk job reads this once per run; four queries cost it a quarter of its time beyond its messages.
     */
    public List<BulkMember> membersOf(UUID bulkJobId) throws SQLException {
        List<BulkMember> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT " + OutboxRows.prefixed("e.")
                     + ", a.outcome AS attempt_outcome, a.attempt AS attempt_no, j.id AS own_job FROM jd_email e"
                     + " LEFT JOIN jd_delivery_attempt a ON a.job_id = e.job_id"
                     + " " + jobs.leftJoinJob("j", "e.job_id")
                     + " WHERE e.bulk_job_id = ? ORDER BY e.to_addr, e.id")) {
            query.setString(1, bulkJobId.toString());
            try (ResultSet rows = query.executeQuery()) {
                OutboxEmail email = null;
                boolean sent = false;
                int attempts = 0;
                boolean ownJob = false;
                while (rows.next()) {
                    UUID id = rows.getObject("id", UUID.class);
                    if (email == null || !email.id().equals(id)) {
                        if (email != null) {
                            result.add(new BulkMember(email, sent, attempts, ownJob));
                        }
                        email = OutboxRows.read(rows);
                        sent = false;
                        attempts = 0;
                        ownJob = rows.getString("own_job") != null;
                    }
                    String outcome = rows.getString("attempt_outcome");
                    if (outcome != null) {
                        // The highest number, not the count: two runs' attempts may leave a gap (decision 23).
                        attempts = Math.max(attempts, rows.getInt("attempt_no"));
                        sent |= outcome.equals(DeliveryAttempt.Outcome.SENT.name());
                    }
                }
                if (email != null) {
                    result.add(new BulkMember(email, sent, attempts, ownJob));
                }
            }
        }
        return result;
    }

    public int deleteTemplatesOf(String recurringJobId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = SqlDialect.prepare(connection, 
                     "DELETE FROM jd_email WHERE kind = 'RECURRING_TEMPLATE' AND recurring_job_id = ?")) {
            delete.setString(1, recurringJobId);
            return delete.executeUpdate();
        }
    }

    /** The runs of a recurring job that have not started yet (scheduled, enqueued or awaiting), by job id. */
    public List<UUID> waitingRunsOf(String recurringJobId) throws SQLException {
        List<UUID> runs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, jobs.waitingRunsOf())) {
            query.setString(1, recurringJobId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    runs.add(UUID.fromString(rows.getString(1).trim()));
                }
            }
        }
        return runs;
    }

    public Optional<OutboxEmail> templateOf(String recurringJobId) throws SQLException {
        return queryOne("SELECT " + OutboxRows.COLUMNS + " FROM jd_email WHERE kind = 'RECURRING_TEMPLATE' AND recurring_job_id = ?",
                recurringJobId);
    }

    /** @param parameter a UUID for a UUID column (PostgreSQL compares no UUID with text), a string for the others */
    private Optional<OutboxEmail> queryOne(String sql, Object parameter) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, sql)) {
            query.setObject(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(OutboxRows.read(rows)) : Optional.empty();
            }
        }
    }

    /** An instant as the store's {@code TIMESTAMP WITH TIME ZONE} columns take it. */
    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
