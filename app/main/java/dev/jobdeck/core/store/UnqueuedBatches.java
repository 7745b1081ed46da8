package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The batches whose e-mails are committed but whose jobs may not all exist yet: one {@code jd_unqueued_batch} row
 * each, written with the e-mails (decision 20). Whoever creates a batch's jobs first {@link #claim}s its row, a row
 * lock taken with {@code FOR UPDATE SKIP LOCKED}, so that two processes (or a console's own queueing and its
 * watcher) never create the same jobs; creates only the jobs still missing; then deletes the row in the same
 * transaction. A claimant that dies lets go of its lock with its connection, and the next one finishes the work.
 */
public final class UnqueuedBatches {

    private final DataSource dataSource;
    private final JobTable jobs;

    public UnqueuedBatches(DataSource dataSource, JobTable jobs) {
        this.dataSource = dataSource;
        this.jobs = jobs;
    }

    /** The batches still waiting for their jobs, oldest first (ids are time-ordered). */
    public List<UUID> waiting() throws SQLException {
        List<UUID> batches = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT batch_id FROM jd_unqueued_batch ORDER BY batch_id");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                batches.add(rows.getObject(1, UUID.class));
            }
        }
        return batches;
    }

    public boolean isWaiting(UUID batchId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT 1 FROM jd_unqueued_batch WHERE batch_id = ?")) {
            query.setObject(1, batchId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * Takes the batch's row for the caller, who must then create its missing jobs and call {@link Claim#done()};
     * empty when the batch has all its jobs already or another claimant holds it now.
     */
    public Optional<Claim> claim(UUID batchId) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = SqlDialect.prepare(connection, 
                    "SELECT run_at FROM jd_unqueued_batch WHERE batch_id = ? FOR UPDATE SKIP LOCKED")) {
                lock.setObject(1, batchId);
                try (ResultSet rows = lock.executeQuery()) {
                    if (rows.next()) {
                        return Optional.of(new Claim(connection, jobs, batchId, Outbox.instant(rows, "run_at")));
                    }
                }
            }
            release(connection);
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            release(connection);
            throw e;
        }
    }

    private static void release(Connection connection) {
        try (connection) {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // A connection that broke took its lock with it; the pool drops it.
            System.getLogger(UnqueuedBatches.class.getName()).log(System.Logger.Level.DEBUG,
                    "Releasing a batch claim failed: " + e.getMessage());
        }
    }

    /** An e-mail that has a job of its own, as its job is named: the recipient and the subject. */
    public record Email(UUID id, UUID jobId, String to, String subject) {
    }

    /** The lock on one batch's row, held until {@link #done()} or {@link #close()}. */
    public static final class Claim implements AutoCloseable {

        private final Connection connection;
        private final JobTable jobs;
        private final UUID batchId;
        private final Instant runAt;
        private boolean open = true;

        private Claim(Connection connection, JobTable jobs, UUID batchId, Instant runAt) {
            this.connection = connection;
            this.jobs = jobs;
            this.batchId = batchId;
            this.runAt = runAt;
        }

        public UUID batchId() {
            return batchId;
        }

        /** When the batch's jobs are due; empty for now. */
        public Optional<Instant> runAt() {
            return Optional.ofNullable(runAt);
        }

        /** The batch's e-mails with a job of their own that does not exist yet. */
        public List<Email> emailsWithoutJob() throws SQLException {
            List<Email> result = new ArrayList<>();
            try (PreparedStatement query = SqlDialect.prepare(connection, "SELECT e.id, e.job_id, e.to_addr, e.subject"
                    + " FROM jd_email e WHERE e.batch_id = ? AND e.kind = 'ONE_OFF' AND e.bulk_job_id IS NULL"
                    + " AND " + jobs.noJobWithId("e.job_id"))) {
                query.setObject(1, batchId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        result.add(new Email(rows.getObject(1, UUID.class), UUID.fromString(rows.getString(2).trim()),
                                rows.getString(3), rows.getString(4)));
                    }
                }
            }
            return result;
        }

        /**
         * The batch's bulk jobs that do not exist yet, each named by its first recipient in the list's order (ids are
         * time-ordered) and that recipient's subject.
         */
        public List<Outbox.Bulk> bulksWithoutJob() throws SQLException {
            List<Outbox.Bulk> result = new ArrayList<>();
            try (PreparedStatement query = SqlDialect.prepare(connection, "SELECT bulk_job_id, to_addr, recipients, subject"
                    + " FROM (SELECT e.bulk_job_id, e.to_addr, e.subject,"
                    + " COUNT(*) OVER (PARTITION BY e.bulk_job_id) AS recipients,"
                    + " ROW_NUMBER() OVER (PARTITION BY e.bulk_job_id ORDER BY e.id) AS position"
                    + " FROM jd_email e WHERE e.batch_id = ? AND e.kind = 'ONE_OFF' AND e.bulk_job_id IS NOT NULL"
                    + " AND " + jobs.noJobWithId("e.bulk_job_id") + ") b"
                    + " WHERE position = 1")) {
                query.setObject(1, batchId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        result.add(new Outbox.Bulk(UUID.fromString(rows.getString(1).trim()), rows.getString(2),
                                rows.getInt(3), rows.getString(4)));
                    }
                }
            }
            return result;
        }

        /** Every job of the batch exists: its row goes, and with the commit the lock. */
        public void done() throws SQLException {
            try (PreparedStatement delete = SqlDialect.prepare(connection, "DELETE FROM jd_unqueued_batch WHERE batch_id = ?")) {
                delete.setObject(1, batchId);
                delete.executeUpdate();
            }
            connection.commit();
            close();
        }

        /** Lets go of the batch without finishing it: the next claimant creates what is still missing. */
        @Override
        public void close() {
            if (open) {
                open = false;
                release(connection);
            }
        }
    }
}
