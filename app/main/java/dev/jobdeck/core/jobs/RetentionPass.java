package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobRunrJobs;
import dev.jobdeck.core.jobs.jobrunr.JobStates;
import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.store.SqlDialect;

import org.jobrunr.storage.StorageProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Keeps the survival report cheap and the store bounded (decision 26), in two steps that each commit in chunks:
 * <ul>
 *   <li><b>settle</b>: an e-mail the server accepted whose job succeeded (or whose own job is gone, a bulk job's
 *   recipient) is delivered for good: its row is marked and its batch's total counts it, in one commit, so the report
 *   adds the totals to a scan of the e-mails still open rather than reading every e-mail;</li>
 *   <li><b>purge</b>: settled e-mails older than the retention period go with their attempts, their batch's
 *   attachments once no e-mail of the batch is left, and their JobRunr jobs. The totals keep them, and those of them
 *   the report counted as possibly received twice.</li>
 * </ul>
 * Failed jobs' e-mails stay for an operator to retry. Deleted jobs stay {@link #DELETED_KEPT}, then go with the
 * e-mails they decide, which the totals keep as the report counted them (JobRunr's own removal of deleted jobs is
 * off: it would leave their e-mails without a job, which the report must call lost). Only the process that owns an H2
 * store runs it, on one thread; on PostgreSQL every console, one at a time ({@link #run}).
 */
public final class RetentionPass {

    private static final System.Logger LOG = System.getLogger(RetentionPass.class.getName());
    /** JobRunr's table, through the one class that knows it. */
    private static final JobRunrJobs JOBS = new JobRunrJobs();
    /** States after which a job never sends again. */
    private static final List<JobState> DONE = List.of(JobState.SUCCEEDED, JobState.DELETED);
    /** The row of jd_ledger_total that counts every batch. */
    static final UUID EVERYTHING = new UUID(0, 0);
    /** Open e-mails looked at per commit of the settlement (so at most that many rows change in one commit). */
    static final int SETTLE_CHUNK = 20_000;
    static final int PURGE_CHUNK = 500;
    /**
     * Deleted jobs stay this long (JobRunr's own default), so an operator can still requeue them; then JobDeck, not
     * JobRunr, removes them with their e-mails, counting those in the totals as the report did.
     */
    public static final Duration DELETED_KEPT = Duration.ofHours(72);

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final StorageProvider storage;
    private final Supplier<Duration> period;
    private final Clock clock;

    /** @param dialect the store's ({@code Database.dialect()}): a pass need not ask a connection for it */
    public RetentionPass(DataSource dataSource, SqlDialect dialect, StorageProvider storage, Supplier<Duration> period,
                         Clock clock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.storage = storage;
        this.period = period;
        this.clock = clock;
    }

    /** What one run did: e-mails settled, e-mails removed, and JobRunr jobs removed with them. */
    public record Result(long settled, long purged, long jobsRemoved) {
    }

    /**
     * Settles what can be, then purges what is older than the period, then deleted jobs older than theirs. On a
     * PostgreSQL store every console runs it, one at a time across machines (a session's advisory lock): a console that
     * finds another's pass running does nothing this time.
     */
    public Result run() throws SQLException {
        if (dialect == SqlDialect.H2) {
            return runAlone();
        }
        try (Connection lock = dataSource.getConnection()) {
            try (java.sql.Statement statement = lock.createStatement()) {
                try (ResultSet taken = statement.executeQuery("SELECT pg_try_advisory_lock(" + PASS_LOCK + ")")) {
                    taken.next();
                    if (!taken.getBoolean(1)) {
                        return new Result(0, 0, 0);
                    }
                }
                try {
                    return runAlone();
                } finally {
                    statement.execute("SELECT pg_advisory_unlock(" + PASS_LOCK + ")");
                }
            }
        }
    }

    /** The advisory lock only one retention pass holds at a time on a PostgreSQL store ("JDRETN"). */
    private static final long PASS_LOCK = 0x4a445245544eL;

    private Result runAlone() throws SQLException {
        Instant now = clock.instant();
        long settled = settle();
        long[] purged = purge(now.minus(period.get()));
        long[] deleted = purgeDeleted(now.minus(DELETED_KEPT));
        long emails = purged[0] + deleted[0];
        long jobs = purged[1] + deleted[1];
        if (settled > 0 || emails > 0 || jobs > 0) {
            LOG.log(System.Logger.Level.INFO, "Retention: {0} e-mail(s) settled, {1} removed with {2} job(s)", settled,
                    emails, jobs);
        }
        return new Result(settled, emails, jobs);
    }

    /** Settles every open e-mail that is delivered for good; returns how many. */
    public long settle() throws SQLException {
        return Settlement.settle(dataSource, dialect, clock, SETTLE_CHUNK);
    }

    /**
     * Settles every open e-mail of the store behind {@code dataSource} that is delivered for good, marked settled at
     * {@code clock}'s instant; returns how many. The retention pass runs it; so may anything that writes a store of
     * delivered e-mails (a generated one) and wants it as a pass would leave it.
     */
    public static long settle(DataSource dataSource, Clock clock) throws SQLException {
        return settle(dataSource, clock, SETTLE_CHUNK);
    }

    /** {@link #settle(DataSource, Clock)} with {@code chunk} open e-mails per commit ({@link Settlement}). */
    static long settle(DataSource dataSource, Clock clock, int chunk) throws SQLException {
        SqlDialect dialect;
        try (Connection connection = dataSource.getConnection()) {
            dialect = SqlDialect.of(connection);
        }
        return Settlement.settle(dataSource, dialect, clock, chunk);
    }


    /** Removes settled e-mails settled before {@code cutoff}; returns how many, and how many JobRunr jobs went. */
    long[] purge(Instant cutoff) throws SQLException {
        String candidates = "SELECT e.id, e.job_id, e.bulk_job_id, e.batch_id, j.id FROM jd_email e"
                + " " + JOBS.leftJoinJob("j", "e.job_id")
                + " WHERE e.settled_at < ? AND (j.id IS NULL OR " + JobStates.in("j.state", DONE) + ")"
                + " ORDER BY e.settled_at LIMIT " + PURGE_CHUNK;
        long emails = 0;
        long jobs = 0;
        while (true) {
            List<UUID> ids = new ArrayList<>();
            Map<UUID, UUID> batchOf = new HashMap<>();
            Set<UUID> ownJobs = new LinkedHashSet<>();
            Set<UUID> bulkJobs = new LinkedHashSet<>();
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    try (PreparedStatement query = SqlDialect.prepare(connection, candidates)) {
                        query.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                        try (ResultSet rows = query.executeQuery()) {
                            while (rows.next()) {
                                UUID id = rows.getObject(1, UUID.class);
                                ids.add(id);
                                batchOf.put(id, rows.getObject(4, UUID.class));
                                if (rows.getString(5) != null) {
                                    ownJobs.add(UUID.fromString(rows.getString(2).trim()));
                                }
                                if (rows.getString(3) != null) {
                                    bulkJobs.add(UUID.fromString(rows.getString(3).trim()));
                                }
                            }
                        }
                    }
                    if (ids.isEmpty()) {
                        connection.rollback();
                        return new long[] {emails, jobs};
                    }
                    SettledEmails.remove(connection, ids, batchOf);
                    for (UUID bulk : List.copyOf(bulkJobs)) {
                        if (stillSends(connection, bulk)) {
                            bulkJobs.remove(bulk);
                        }
                    }
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
            // After the commit: a job left behind by a crash here is JobRunr's to remove (its own retention), and
            // the report, which reads e-mails, is true either way.
            for (UUID job : ownJobs) {
                jobs += storage.deletePermanently(job);
            }
            for (UUID job : bulkJobs) {
                jobs += storage.deletePermanently(job);
            }
            emails += ids.size();
            if (ids.size() < PURGE_CHUNK) {
                return new long[] {emails, jobs};
            }
        }
    }

    /**
     * Removes jobs deleted before {@code cutoff}, one commit each: the e-mails whose fate that job decides (its own
     * e-mail; a bulk job's recipients without a job of their own) are counted in the totals as the report counts them
     * now (delivered, else deleted), then go with their attempts, and the job row goes only if it is still Deleted
     * (an operator may requeue it meanwhile: then nothing is removed).
     */
    long[] purgeDeleted(Instant cutoff) throws SQLException {
        List<String> jobs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, JobRunrJobs.deletedBefore(PURGE_CHUNK))) {
            query.setTimestamp(1, java.sql.Timestamp.from(cutoff));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    jobs.add(rows.getString(1));
                }
            }
        }
        long emails = 0;
        long removed = 0;
        for (String job : jobs) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    long gone = removeDeleted(connection, job);
                    if (gone < 0) {
                        connection.rollback();
                        continue;
                    }
                    connection.commit();
                    emails += gone;
                    removed++;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        }
        return new long[] {emails, removed};
    }

    /** Removes one deleted job and the e-mails it decides; returns how many e-mails, or -1 if it is no longer Deleted. */
    private long removeDeleted(Connection connection, String job) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        Map<UUID, UUID> batchOf = new HashMap<>();
        Map<UUID, Long> accepted = new HashMap<>();
        Map<UUID, Long> delivered = new HashMap<>();
        Map<UUID, Long> succeeded = new HashMap<>();
        Map<UUID, Long> deleted = new HashMap<>();
        // Delivered by its own (deleted) job: not succeeded; by a bulk job: succeeded, as the report has it.
        try (PreparedStatement query = SqlDialect.prepare(connection, "SELECT e.id, e.batch_id, e.settled_at IS NOT NULL,"
                + " " + SurvivalReports.DELIVERED + ", e.job_id = ? FROM jd_email e " + JOBS.leftJoinJob("o", "e.job_id")
                + " WHERE e.job_id = ? OR (e.bulk_job_id = ? AND o.id IS NULL)")) {
            query.setString(1, job);
            query.setString(2, job);
            query.setString(3, job);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    UUID batch = rows.getObject(2, UUID.class);
                    ids.add(id);
                    batchOf.put(id, batch);
                    if (rows.getBoolean(3)) {
                        continue;
                    }
                    SettledEmails.count(accepted, batch);
                    if (rows.getBoolean(4)) {
                        SettledEmails.count(delivered, batch);
                        if (!rows.getBoolean(5)) {
                            SettledEmails.count(succeeded, batch);
                        }
                    } else {
                        SettledEmails.count(deleted, batch);
                    }
                }
            }
        }
        try (PreparedStatement delete = SqlDialect.prepare(connection, 
                JobRunrJobs.removeDeletedJob())) {
            delete.setString(1, job);
            if (delete.executeUpdate() == 0) {
                return -1;
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement settle = SqlDialect.prepare(connection, 
                "UPDATE jd_email SET settled_at = ? WHERE id = ? AND settled_at IS NULL")) {
            settle.setObject(1, clock.instant().atOffset(ZoneOffset.UTC));
            for (UUID id : ids) {
                settle.setObject(2, id);
                settle.executeUpdate();
            }
        }
        SettledEmails.addToTotals(connection, "accepted", accepted);
        SettledEmails.addToTotals(connection, "delivered", delivered);
        SettledEmails.addToTotals(connection, "succeeded", succeeded);
        SettledEmails.addToTotals(connection, "deleted", deleted);
        SettledEmails.remove(connection, ids, batchOf);
        return ids.size();
    }

    /** Whether a bulk job still has e-mails, or is not done: then it stays. */
    private static boolean stillSends(Connection connection, UUID bulk) throws SQLException {
        try (PreparedStatement query = SqlDialect.prepare(connection, "SELECT (SELECT COUNT(*) FROM jd_email e"
                + " WHERE e.bulk_job_id = ?) + (SELECT COUNT(*) FROM " + JobRunrJobs.JOBS + " j WHERE j.id = ?"
                + " AND NOT " + JobStates.in("j.state", DONE) + ")")) {
            query.setString(1, bulk.toString());
            query.setString(2, bulk.toString());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

}
