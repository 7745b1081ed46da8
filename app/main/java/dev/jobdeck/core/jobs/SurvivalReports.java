package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobStates;

import dev.jobdeck.core.jobs.jobrunr.JobRunrJobs;

import dev.jobdeck.core.store.SqlDialect;

import dev.jobdeck.core.store.Incident;
import dev.jobdeck.core.store.IncidentLog;
import dev.jobdeck.core.store.LedgerMarks;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Builds the {@link SurvivalReport} from the store: JobDeck's outbox and delivery ledger, the incident log,
 * and each in-flight job's own state history in JobRunr. Nothing is kept in memory, so the report reads the
 * same after the console itself crashed and restarted.
 */
public final class SurvivalReports {

    private static final System.Logger LOG = System.getLogger(SurvivalReports.class.getName());
    /** JobRunr's table, through the one class that knows it. */
    private static final JobRunrJobs JOBS = new JobRunrJobs();
    private static final Set<StateName> FINAL = Set.of(StateName.SUCCEEDED, StateName.FAILED, StateName.DELETED);
    static final String DELIVERED =
            "EXISTS (SELECT 1 FROM jd_delivery_attempt a WHERE a.email_id = e.id AND a.outcome = 'SENT')";

    private final DataSource dataSource;
    private final StorageProvider storage;
    private final IncidentLog incidents;
    private final Clock clock;
    /** This process owns the store: it writes the kept counts of the open e-mails (decision 32); others only read. */
    private final boolean keepsCounts;

    public SurvivalReports(DataSource dataSource, StorageProvider storage, IncidentLog incidents, Clock clock,
                           boolean keepsCounts) {
        this.dataSource = dataSource;
        this.storage = storage;
        this.incidents = incidents;
        this.clock = clock;
        this.keepsCounts = keepsCounts;
    }

    /** The report for one batch (a Compose, a {@code send}) or, with an empty batch, for everything. */
    public SurvivalReport report(Optional<UUID> batch, int incidentLimit) throws SQLException {
        List<SurvivalReport.IncidentReport> incidentReports = new ArrayList<>();
        for (Incident incident : incidents.recent(incidentLimit)) {
            incidentReports.add(incidentReport(incident));
        }
        return new SurvivalReport(clock.instant(), batch.orElse(null), ledger(batch), memoryLedger(batch),
                incidentReports, reExecutions(batch));
    }

    /**
     * Counts e-mails, not jobs, each in exactly one of delivered, failed, deleted, pending and lost, so the five add up
     * to accepted. An e-mail's job is its own, or for an e-mail of a bulk job that has none (decision 10), the bulk
     * job. Delivered: the ledger holds the server's acceptance. Otherwise it is failed, deleted or pending by its job's
     * state; pending too when its batch was accepted and its job is still to be created (decision 20); and lost when
     * no job is left that could deliver it (gone, or ended without delivering it).
     *
     * <p>Settled e-mails (delivered by a job that succeeded, or removed with a job deleted long ago: see
     * {@link RetentionPass}) are counted from their batch's total, kept or removed by retention. For one batch, its open
     * e-mails are read in the same statement, so a settlement or a purge committing meanwhile is seen whole or not at
     * all. For the whole store, the open e-mails' counts are kept per batch and only the batches written since are
     * read again ({@link #keptLedger}, decision 32).
     */
    public SurvivalReport.Ledger ledger(Optional<UUID> batch) throws SQLException {
        if (batch.isEmpty()) {
            return keptLedger();
        }
        String sql = ledgerStatement(batch);
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = SqlDialect.prepare(connection, sql)) {
            int next = bindBatch(query, batch, 1);
            next = bindBatch(query, batch, next);
            query.setObject(next, batch.orElse(RetentionPass.EVERYTHING));
            try (ResultSet rows = query.executeQuery()) {
                return ledgerOf(rows);
            }
        }
    }

    /**
     * The whole store's ledger recomputed from every open e-mail and every retried one, in one statement: what the kept
     * counts must always equal (tests compare them), and 10 s at a million jobs.
     */
    SurvivalReport.Ledger recomputedLedger() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return recomputedLedger(connection);
        }
    }

    private static SurvivalReport.Ledger recomputedLedger(Connection connection) throws SQLException {
        try (PreparedStatement query = SqlDialect.prepare(connection, ledgerStatement(Optional.empty()))) {
            query.setObject(1, RetentionPass.EVERYTHING);
            try (ResultSet rows = query.executeQuery()) {
                return ledgerOf(rows);
            }
        }
    }

    /** The one row of a ledger statement ({@link #ledgerStatement}'s columns, in order). */
    private static SurvivalReport.Ledger ledgerOf(ResultSet rows) throws SQLException {
        rows.next();
        return new SurvivalReport.Ledger(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getLong(8), rows.getLong(9));
    }

    /** {@link #ledger}'s statement: the batch's id twice when there is one, then the batch (or everything) again. */
    static String ledgerStatement(Optional<UUID> batch) {
        String open = openCounts(batchFilter(batch), false);
        String twice = "SELECT COUNT(*) AS twice FROM (" + maybeTwiceRetried(batch) + " GROUP BY e.id"
                + " HAVING " + TWICE + ") z";
        String sql = "SELECT o.accepted + t.accepted, o.delivered + t.delivered, o.succeeded + t.succeeded, o.failed,"
                + " o.deleted + t.deleted, o.pending, o.lost, r.twice + t.re_executed, t.purged"
                + " FROM (" + open + ") o, (" + twice + ") r, (" + TOTALS + ") t";
        return sql;
    }

    /** The totals of the settled e-mails of one batch, or of all ({@link RetentionPass#EVERYTHING}). */
    private static final String TOTALS = "SELECT COALESCE(SUM(accepted), 0) AS accepted,"
            + " COALESCE(SUM(delivered), 0) AS delivered, COALESCE(SUM(succeeded), 0) AS succeeded,"
            + " COALESCE(SUM(deleted), 0) AS deleted, COALESCE(SUM(purged), 0) AS purged,"
            + " COALESCE(SUM(re_executed), 0) AS re_executed FROM jd_ledger_total WHERE batch_id = ?";

    /**
     * The open e-mails' counts (accepted, delivered, succeeded, failed, deleted, pending, lost) of those that
     * {@code where} keeps; with {@code perBatch}, one row per batch, its key first (e-mails without a batch under
     * {@link LedgerMarks#NO_BATCH}).
     */
    private static String openCounts(String where, boolean perBatch) {
        return """
                SELECT %8$s COUNT(*) AS accepted,
                       COALESCE(SUM(CASE WHEN category = 'DELIVERED' THEN 1 ELSE 0 END), 0) AS delivered,
                       COALESCE(SUM(CASE WHEN state = %2$s OR (state IS NULL AND delivered) THEN 1 ELSE 0 END), 0)
                               AS succeeded,
                       COALESCE(SUM(CASE WHEN category = 'FAILED' THEN 1 ELSE 0 END), 0) AS failed,
                       COALESCE(SUM(CASE WHEN category = 'DELETED' THEN 1 ELSE 0 END), 0) AS deleted,
                       COALESCE(SUM(CASE WHEN category = 'PENDING' THEN 1 ELSE 0 END), 0) AS pending,
                       COALESCE(SUM(CASE WHEN category = 'LOST' THEN 1 ELSE 0 END), 0) AS lost
                FROM (SELECT batch_key, delivered, state,
                             CASE WHEN delivered THEN 'DELIVERED'
                                  WHEN state = %3$s THEN 'FAILED'
                                  WHEN state = %4$s THEN 'DELETED'
                                  WHEN %5$s THEN 'PENDING'
                                  WHEN state IS NULL AND job_to_come THEN 'PENDING'
                                  ELSE 'LOST' END AS category
                      FROM (SELECT %1$s AS delivered, %9$s AS batch_key,
                                   COALESCE(e.batch_id IN (SELECT u.batch_id FROM jd_unqueued_batch u), FALSE)
                                           AS job_to_come,
                                   CASE WHEN j.id IS NOT NULL THEN j.state
                                        WHEN b.id IS NOT NULL AND %1$s THEN %2$s
                                        ELSE b.state END AS state
                            FROM jd_email e %6$s
                            %7$s
                            WHERE e.settled_at IS NULL AND e.kind IN ('ONE_OFF', 'RECURRING_RUN')""".formatted(DELIVERED,
                JobStates.literal(JobState.SUCCEEDED), JobStates.literal(JobState.FAILED),
                JobStates.literal(JobState.DELETED), JobStates.in("state", JobStates.PENDING),
                JOBS.leftJoinJob("j", "e.job_id"), JOBS.leftJoinJob("b", "e.bulk_job_id"),
                perBatch ? "batch_key," : "", BATCH_KEY)
                + where + ") x) y" + (perBatch ? " GROUP BY batch_key" : "");
    }

    /** An e-mail's key in the kept counts: its batch, or {@link LedgerMarks#NO_BATCH}. */
    private static final String BATCH_KEY = "COALESCE(e.batch_id, CAST('" + LedgerMarks.NO_BATCH + "' AS UUID))";
    /** More marked batches than this, or more marks than this and than open e-mails: every batch is read again. */
    static final int READ_ALL_AT = 2_000;
    static final long READ_ALL_MARKS = 10_000;

    /** Only one keeper of the counts at a time in this process (the owner's: the only process that writes them). */
    private final ReentrantLock keeping = new ReentrantLock();

    /**
     * The whole store's ledger from the kept counts (decision 32). The owner first keeps the counts (unless its
     * schedule is doing so right now); then, in one snapshot of the store (H2's SERIALIZABLE: a snapshot, writers
     * never wait), the marks left name the batches written since: those are read again, the others' counts are summed
     * as kept, and the settled totals added. A mark that names nothing (a store from before the counts, not kept yet)
     * or more marks than open e-mails: every open e-mail is read, as {@link #recomputedLedger} does.
     */
    SurvivalReport.Ledger keptLedger() throws SQLException {
        try {
            keepCounts();
        } catch (SQLException e) {
            // A store that cannot take writes now (a full disk) still answers; the counts are kept next time.
            LOG.log(System.Logger.Level.DEBUG, "Cannot keep the ledger's counts now: " + e.getMessage());
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            try {
                return keptLedger(connection);
            } finally {
                connection.rollback();
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                connection.setAutoCommit(true);
            }
        }
    }

    private static SurvivalReport.Ledger keptLedger(Connection connection) throws SQLException {
        long marks;
        boolean everything;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*), COUNT(CASE WHEN " + NAMES_NOTHING + " THEN 1 END)"
                     + " FROM " + LedgerMarks.MARK_TABLE)) {
            rows.next();
            marks = rows.getLong(1);
            everything = rows.getLong(2) > 0;
        }
        long[] sum = keptSum(connection, "SELECT " + KEPT_SUM + " FROM " + LedgerMarks.OPEN_TABLE);
        Set<UUID> marked = everything || marks > Math.max(READ_ALL_MARKS, sum[0]) ? null : markedBatches(connection);
        if (marked == null || marked.size() > READ_ALL_AT) {
            return recomputedLedger(connection);
        }
        try (PreparedStatement kept = SqlDialect.prepare(connection, "SELECT " + KEPT_SUM + " FROM "
                + LedgerMarks.OPEN_TABLE + " WHERE batch_id = ?")) {
            for (UUID batch : marked) {
                kept.setObject(1, batch);
                add(sum, keptSum(kept), -1);
            }
        }
        for (long[] counts : batches(connection, marked).values()) {
            add(sum, counts, 1);
        }
        try (PreparedStatement totals = SqlDialect.prepare(connection, TOTALS)) {
            totals.setObject(1, RetentionPass.EVERYTHING);
            try (ResultSet t = totals.executeQuery()) {
                t.next();
                return new SurvivalReport.Ledger(sum[0] + t.getLong("accepted"), sum[1] + t.getLong("delivered"),
                        sum[2] + t.getLong("succeeded"), sum[3], sum[4] + t.getLong("deleted"), sum[5], sum[6],
                        sum[7] + t.getLong("re_executed"), t.getLong("purged"));
            }
        }
    }

    private static final String NAMES_NOTHING = "batch_id IS NULL AND email_id IS NULL AND job_id IS NULL";

    /**
     * Keeps the counts of the batches the marks name and removes those marks: exactly the marks read first, each
     * batch then read again in statements of its own. A write committed after that first read may or may not be in
     * what is kept, but its mark stays, so its batch is read again next time. No snapshot is held across the keep, only
     * each statement's own: H2 cannot free a page that an open snapshot may still read, and a keep of every batch takes
     * half a minute at a million jobs while hosts deliver. Only in the owner, and only one at a time: elsewhere, or
     * while another thread keeps them, it does nothing. Returns the marks removed.
     */
    public long keepCounts() throws SQLException {
        if (!keepsCounts || !keeping.tryLock()) {
            return 0;
        }
        try {
            if (!onPostgres()) {
                return keepSeenMarks();
            }
            // A store on PostgreSQL has no owner: every console keeps the counts, one at a time across machines. Two
            // keepers at once could write a batch's counts read before a write after those read since, and the
            // write's mark would be gone (issue 17).
            try (Connection lock = dataSource.getConnection(); Statement statement = lock.createStatement()) {
                try (ResultSet taken = statement.executeQuery("SELECT pg_try_advisory_lock(" + KEEPER_LOCK + ")")) {
                    taken.next();
                    if (!taken.getBoolean(1)) {
                        return 0;
                    }
                }
                try {
                    return keepSeenMarks();
                } finally {
                    statement.execute("SELECT pg_advisory_unlock(" + KEEPER_LOCK + ")");
                }
            }
        } finally {
            keeping.unlock();
        }
    }

    /** The advisory lock only one keeper of the counts holds at a time on a PostgreSQL store ("JDKEEP"). */
    private static final long KEEPER_LOCK = 0x4a444b454550L;

    /** Whether the store is on PostgreSQL: asked of the driver once (no round trip). */
    private boolean onPostgres() throws SQLException {
        Boolean known = postgres;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = SqlDialect.of(connection) == SqlDialect.POSTGRESQL;
            }
            postgres = known;
        }
        return known;
    }

    private volatile Boolean postgres;

    private long keepSeenMarks() throws SQLException {
        long started = System.nanoTime();
        long[] seen;
        boolean everything = false;
        try (Connection connection = dataSource.getConnection()) {
            List<Long> ids = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT id, " + NAMES_NOTHING + " FROM "
                         + LedgerMarks.MARK_TABLE)) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                    everything |= rows.getBoolean(2);
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            seen = ids.stream().mapToLong(Long::longValue).toArray();
            long open = keptSum(connection, "SELECT " + KEPT_SUM + " FROM " + LedgerMarks.OPEN_TABLE)[0];
            Set<UUID> marked = everything || seen.length > Math.max(READ_ALL_MARKS, open) ? null : markedBatches(connection);
            everything = marked == null || marked.size() > READ_ALL_AT;
            Map<UUID, long[]> read = everything ? everyBatch(connection) : batches(connection, marked);
            connection.setAutoCommit(false);
            try {
                writeKept(connection, everything ? null : marked, read);
                removeMarks(connection, seen);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis >= 1_000) {
                LOG.log(System.Logger.Level.INFO, "Kept the survival report''s counts in {0} ms: {1} mark(s), {2}",
                        millis, seen.length, everything ? "every batch read again" : read.size() + " batch(es) read again");
            }
        }
        return seen.length;
    }

    private static void removeMarks(Connection connection, long[] ids) throws SQLException {
        try (PreparedStatement delete = SqlDialect.prepare(connection, "DELETE FROM " + LedgerMarks.MARK_TABLE
                + " WHERE id = ?")) {
            for (int i = 0; i < ids.length; i++) {
                delete.setLong(1, ids[i]);
                delete.addBatch();
                if (i % 5_000 == 4_999) {
                    delete.executeBatch();
                }
            }
            delete.executeBatch();
        }
    }

    /** The kept counts' columns, in {@link SurvivalReport.Ledger}'s order, the possible duplicates last. */
    private static final String[] KEPT = {"accepted", "delivered", "succeeded", "failed", "deleted", "pending", "lost",
            "twice"};
    private static final int KEPT_COLUMNS = KEPT.length;
    private static final String KEPT_SUM = String.join(", ",
            java.util.Arrays.stream(KEPT).map(c -> "COALESCE(SUM(" + c + "), 0)").toList());

    private static long[] keptSum(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = SqlDialect.prepare(connection, sql)) {
            return keptSum(query);
        }
    }

    /** The counts {@code query} reads, in the kept counts' order (an open e-mails' query leaves the last at 0). */
    private static long[] keptSum(PreparedStatement query) throws SQLException {
        long[] counts = new long[KEPT_COLUMNS];
        try (ResultSet rows = query.executeQuery()) {
            rows.next();
            int columns = rows.getMetaData().getColumnCount();
            for (int i = 0; i < columns; i++) {
                counts[i] = rows.getLong(i + 1);
            }
        }
        return counts;
    }

    private static void add(long[] sum, long[] counts, int sign) {
        for (int i = 0; i < KEPT_COLUMNS; i++) {
            sum[i] += sign * counts[i];
        }
    }

    /**
     * The batches the marks name, directly or through an e-mail or a job (its own e-mail's, or its recipients': a bulk
     * job's e-mails are of one batch, read as the first and the last of them). Each through a lookup per mark (a
     * subquery by the e-mails' key or index): as joins, H2 read e-mails first and looked their marks up, minutes at a
     * million e-mails.
     */
    private static final String MARKED_JOBS = "(SELECT DISTINCT job_id FROM " + LedgerMarks.MARK_TABLE
            + " WHERE job_id IS NOT NULL)";
    static final String MARKED_BATCHES = "SELECT DISTINCT k FROM ("
            + "SELECT m.batch_id AS k FROM " + LedgerMarks.MARK_TABLE + " m WHERE m.batch_id IS NOT NULL"
            + " UNION ALL SELECT (SELECT " + BATCH_KEY + " FROM jd_email e WHERE e.id = m.email_id)"
            + " FROM (SELECT DISTINCT email_id FROM " + LedgerMarks.MARK_TABLE + " WHERE email_id IS NOT NULL) m"
            + " UNION ALL SELECT (SELECT " + BATCH_KEY + " FROM jd_email e WHERE e.job_id = m.job_id)"
            + " FROM " + MARKED_JOBS + " m"
            + " UNION ALL SELECT (SELECT MIN(" + BATCH_KEY + ") FROM jd_email e WHERE e.bulk_job_id = m.job_id)"
            + " FROM " + MARKED_JOBS + " m"
            + " UNION ALL SELECT (SELECT MAX(" + BATCH_KEY + ") FROM jd_email e WHERE e.bulk_job_id = m.job_id)"
            + " FROM " + MARKED_JOBS + " m) d WHERE k IS NOT NULL";

    private static Set<UUID> markedBatches(Connection connection) throws SQLException {
        Set<UUID> batches = new HashSet<>();
        try (PreparedStatement query = SqlDialect.prepare(connection, MARKED_BATCHES); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                batches.add(rows.getObject(1, UUID.class));
            }
        }
        return batches;
    }

    /** Every batch's counts, read whole: a store's first time, or after more writes than reading batch by batch pays. */
    private static Map<UUID, long[]> everyBatch(Connection connection) throws SQLException {
        Map<UUID, long[]> counts = new HashMap<>();
        try (PreparedStatement query = SqlDialect.prepare(connection, openCounts("", true));
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                long[] batch = counts.computeIfAbsent(rows.getObject(1, UUID.class), key -> new long[KEPT_COLUMNS]);
                for (int i = 0; i < KEPT_COLUMNS - 1; i++) {
                    batch[i] = rows.getLong(i + 2);
                }
            }
        }
        String twice = "SELECT batch_key, COUNT(*) FROM (SELECT " + BATCH_KEY + " AS batch_key FROM ("
                + MAYBE_TWICE_RETRIED_ALL + " GROUP BY e.id HAVING " + TWICE + ") z JOIN jd_email e ON e.id = z.id) k"
                + " GROUP BY batch_key";
        try (PreparedStatement query = SqlDialect.prepare(connection, twice); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.computeIfAbsent(rows.getObject(1, UUID.class), key -> new long[KEPT_COLUMNS])[KEPT_COLUMNS - 1] =
                        rows.getLong(2);
            }
        }
        return counts;
    }

    /** The counts of the given batches, each read through the index on the batch. */
    private static Map<UUID, long[]> batches(Connection connection, Set<UUID> batches) throws SQLException {
        Map<UUID, long[]> counts = new HashMap<>();
        if (batches.isEmpty()) {
            return counts;
        }
        String noBatch = " AND e.batch_id IS NULL";
        try (PreparedStatement open = SqlDialect.prepare(connection, BATCH_OPEN);
             PreparedStatement twice = SqlDialect.prepare(connection, BATCH_TWICE);
             PreparedStatement openNoBatch = SqlDialect.prepare(connection, openCounts(noBatch, false));
             PreparedStatement twiceNoBatch = SqlDialect.prepare(connection, twiceOf(noBatch))) {
            for (UUID batch : batches) {
                boolean none = batch.equals(LedgerMarks.NO_BATCH);
                PreparedStatement openQuery = none ? openNoBatch : open;
                PreparedStatement twiceQuery = none ? twiceNoBatch : twice;
                if (!none) {
                    openQuery.setObject(1, batch);
                    twiceQuery.setObject(1, batch);
                }
                long[] batchCounts = keptSum(openQuery);
                try (ResultSet rows = twiceQuery.executeQuery()) {
                    rows.next();
                    batchCounts[KEPT_COLUMNS - 1] = rows.getLong(1);
                }
                counts.put(batch, batchCounts);
            }
        }
        return counts;
    }

    /** One batch's open e-mails' counts: from the index on the batch, its e-mails' jobs' and attempts' indexes. */
    static final String BATCH_OPEN = openCounts(" AND e.batch_id = ?", false);
    /** How many of one batch's e-mails may have reached the server twice: the batch's index, its attempts' index. */
    static final String BATCH_TWICE = twiceOf(" AND e.batch_id = ?");

    /** How many e-mails {@code where} keeps may have reached the server twice, read from those e-mails' attempts. */
    private static String twiceOf(String where) {
        return "SELECT COUNT(*) FROM (" + MAYBE_TWICE + where + " GROUP BY e.id HAVING " + TWICE + ") z";
    }

    /** Writes what was read as the kept counts: of the marked batches, or with null, of every batch. */
    private static void writeKept(Connection connection, Set<UUID> marked, Map<UUID, long[]> read) throws SQLException {
        if (marked == null) {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM " + LedgerMarks.OPEN_TABLE);
            }
        } else {
            try (PreparedStatement delete = SqlDialect.prepare(connection, "DELETE FROM " + LedgerMarks.OPEN_TABLE
                    + " WHERE batch_id = ?")) {
                for (UUID batch : marked) {
                    delete.setObject(1, batch);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        try (PreparedStatement insert = SqlDialect.prepare(connection, "INSERT INTO " + LedgerMarks.OPEN_TABLE
                + " (batch_id, " + String.join(", ", KEPT) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (Map.Entry<UUID, long[]> batch : read.entrySet()) {
                if (java.util.Arrays.stream(batch.getValue()).allMatch(count -> count == 0)) {
                    continue;
                }
                insert.setObject(1, batch.getKey());
                for (int i = 0; i < KEPT_COLUMNS; i++) {
                    insert.setLong(i + 2, batch.getValue()[i]);
                }
                insert.addBatch();
                if (++pending == 1_000) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            insert.executeBatch();
        }
    }

    /**
     * Per e-mail: its attempts, those the server accepted, and those cut off: started, never finished, while another
     * attempt at the same e-mail was made (its host died or lost the store mid-send; a run still sending has the only
     * attempt). The server may have received each accepted and each cut-off attempt (decision 23).
     */
    static final String MAYBE_TWICE = "SELECT e.id, COUNT(*) AS attempts,"
            + " SUM(CASE WHEN a1.outcome = 'SENT' THEN 1 ELSE 0 END) AS sent,"
            + " SUM(CASE WHEN a1.outcome = 'STARTED' AND EXISTS (SELECT 1 FROM jd_delivery_attempt a2"
            + " WHERE a2.job_id = a1.job_id AND a2.attempt <> a1.attempt) THEN 1 ELSE 0 END) AS cut"
            + " FROM jd_email e JOIN jd_delivery_attempt a1 ON a1.email_id = e.id WHERE 1 = 1";
    /**
     * {@link #MAYBE_TWICE} over the whole store, for the e-mails retried only. Only an e-mail with a second attempt can
     * have reached the server twice, and attempts are numbered from 1 per e-mail: the index on the number finds those
     * few instead of reading every e-mail's attempts, and their ids come from that index alone (named {@code e.id}, as
     * the callers group by it), no e-mail's row read (3.4 s instead of 6.2 s at a million jobs with 386,000 retries).
     * They are a derived table, read once per query: as {@code e.id IN (SELECT ...)} H2 ran the subquery again for
     * every e-mail whenever the store had changed since its last run. One batch's are read through its e-mails instead.
     */
    static final String MAYBE_TWICE_RETRIED_ALL = MAYBE_TWICE.replace(" FROM jd_email e JOIN",
            " FROM (SELECT DISTINCT r.email_id AS id FROM jd_delivery_attempt r WHERE r.attempt >= 2) e JOIN");

    /** The e-mails that may have reached the server twice, of {@code batch} or of the whole store, per e-mail id. */
    private static String maybeTwiceRetried(Optional<UUID> batch) {
        return batch.isPresent() ? MAYBE_TWICE + batchFilter(batch) : MAYBE_TWICE_RETRIED_ALL;
    }
    /** The server may have received the e-mail twice or more: so says the report. */
    static final String TWICE = "SUM(CASE WHEN a1.outcome = 'SENT' THEN 1 ELSE 0 END)"
            + " + SUM(CASE WHEN a1.outcome = 'STARTED' AND EXISTS (SELECT 1 FROM jd_delivery_attempt a2"
            + " WHERE a2.job_id = a1.job_id AND a2.attempt <> a1.attempt) THEN 1 ELSE 0 END) >= 2";

    /**
     * In-memory e-mails all name their host: the range from the smallest UUID reads them through the index on the
     * host, where {@code IS NOT NULL} would read every e-mail.
     */
    public SurvivalReport.MemoryLedger memoryLedger(Optional<UUID> batch) throws SQLException {
        String sql = """
                SELECT COUNT(*),
                       SUM(CASE WHEN %1$s THEN 1 ELSE 0 END),
                       SUM(CASE WHEN NOT %1$s AND h.stopped_at IS NULL THEN 1 ELSE 0 END),
                       SUM(CASE WHEN NOT %1$s AND h.stopped_at IS NOT NULL THEN 1 ELSE 0 END)
                FROM jd_email e LEFT JOIN jd_host h ON h.id = e.memory_host
                WHERE e.memory_host >= CAST('00000000-0000-0000-0000-000000000000' AS UUID)
                      AND e.kind = 'IN_MEMORY'""".formatted(DELIVERED) + batchFilter(batch);
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = SqlDialect.prepare(connection, sql)) {
            bindBatch(query, batch);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return new SurvivalReport.MemoryLedger(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
            }
        }
    }

    /**
     * E-mails the server may have received twice or more, each with the first attempt that may have reached it (where
     * and when it ran), its Message-ID (the same in every attempt), its attempts and how many the server accepted:
     * two accepted is certain, otherwise one attempt's fate is unknown.
     */
    private List<SurvivalReport.ReExecution> reExecutions(Optional<UUID> batch) throws SQLException {
        if (batch.isPresent()) {
            return reExecutions(batchFilter(batch), batch.get());
        }
        Set<UUID> batches = batchesWithDuplicates();
        if (batches == null) {
            return reExecutions("", null);
        }
        // Of the whole store: those of the batches whose kept counts have any, and of the batches written since.
        List<SurvivalReport.ReExecution> result = new ArrayList<>();
        for (UUID withDuplicates : batches) {
            result.addAll(withDuplicates.equals(LedgerMarks.NO_BATCH) ? reExecutions(" AND e.batch_id IS NULL", null)
                    : reExecutions(" AND e.batch_id = ?", withDuplicates));
        }
        result.sort(java.util.Comparator.comparing(SurvivalReport.ReExecution::interruptedAt));
        return result.size() > RE_EXECUTIONS_SHOWN ? List.copyOf(result.subList(0, RE_EXECUTIONS_SHOWN)) : result;
    }

    private static final int RE_EXECUTIONS_SHOWN = 1000;

    /** The list of possible duplicates read from every retried attempt: what the list from the kept counts must equal. */
    List<SurvivalReport.ReExecution> recomputedReExecutions() throws SQLException {
        return reExecutions("", null);
    }

    /**
     * The batches that may hold an e-mail the server received twice: those whose kept counts say so and those marked
     * since (decision 32), so the report's list reads their attempts instead of every retried attempt of the store
     * (386,000 at a million jobs); null while the counts were never kept (a store from before them).
     */
    private Set<UUID> batchesWithDuplicates() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + LedgerMarks.MARK_TABLE + " WHERE "
                    + NAMES_NOTHING)) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    return null;
                }
            }
            Set<UUID> batches = markedBatches(connection);
            if (batches.size() > READ_ALL_AT) {
                return null;
            }
            try (ResultSet rows = statement.executeQuery("SELECT batch_id FROM " + LedgerMarks.OPEN_TABLE
                    + " WHERE twice > 0")) {
                while (rows.next()) {
                    batches.add(rows.getObject(1, UUID.class));
                }
            }
            return batches;
        }
    }

    /** The e-mails that {@code where} keeps (with {@code batch} bound when not null) that may have reached it twice. */
    private List<SurvivalReport.ReExecution> reExecutions(String where, UUID batch) throws SQLException {
        String sql = "SELECT x.id, e.job_id, e.to_addr, x.attempts, x.sent, f.message_id, f.host, f.started_at"
                + " FROM (" + (where.isEmpty() ? MAYBE_TWICE_RETRIED_ALL : MAYBE_TWICE + where) + " GROUP BY e.id"
                + " HAVING " + TWICE + ") x"
                + " JOIN jd_email e ON e.id = x.id"
                + " JOIN jd_delivery_attempt f ON f.job_id = e.job_id AND f.attempt = (SELECT MIN(a.attempt)"
                + " FROM jd_delivery_attempt a WHERE a.job_id = e.job_id AND a.outcome IN ('SENT', 'STARTED'))"
                + " ORDER BY f.started_at LIMIT " + RE_EXECUTIONS_SHOWN;
        List<SurvivalReport.ReExecution> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = SqlDialect.prepare(connection, sql)) {
            if (batch != null) {
                query.setObject(1, batch);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    result.add(new SurvivalReport.ReExecution(rows.getObject(1, UUID.class),
                            UUID.fromString(rows.getString(2).trim()), rows.getString(6), rows.getString(3),
                            rows.getString(7), rows.getObject(8, OffsetDateTime.class).toInstant(), rows.getInt(4),
                            rows.getInt(5)));
                }
            }
        }
        return result;
    }

    private SurvivalReport.IncidentReport incidentReport(Incident incident) throws SQLException {
        Map<UUID, String> recipients = recipientsOf(incident.inFlight());
        List<SurvivalReport.JobFate> fates = new ArrayList<>();
        Instant lastDone = null;
        boolean allDone = true;
        for (Incident.InFlightJob inFlight : incident.inFlight()) {
            String recipient = inFlight.emailId() != null ? recipients.get(inFlight.emailId()) : bulkRecipients(inFlight.jobId());
            SurvivalReport.JobFate fate = fateOf(inFlight, incident.happenedAt(), recipient);
            fates.add(fate);
            if (fate.finishedAt() == null) {
                allDone = false;
            } else if (lastDone == null || fate.finishedAt().isAfter(lastDone)) {
                lastDone = fate.finishedAt();
            }
        }
        Duration allDoneAfter = allDone && lastDone != null ? Duration.between(incident.happenedAt(), lastDone) : null;
        return new SurvivalReport.IncidentReport(incident.id(), incident.hostName(), incident.action(),
                incident.happenedAt(), incident.detectedAt(), incident.requeued(), incident.replacement(), incident.note(),
                fates, allDoneAfter, lostWith(incident.hostId()));
    }

    private SurvivalReport.JobFate fateOf(Incident.InFlightJob inFlight, Instant happenedAt, String recipient) {
        Job job;
        try {
            job = storage.getJobById(inFlight.jobId());
        } catch (JobNotFoundException e) {
            return new SurvivalReport.JobFate(inFlight.jobId(), inFlight.emailId(), recipient, null, null, null,
                    "GONE", null);
        }
        Instant orphanedAt = null;
        Instant ranAgainAt = null;
        String ranAgainOn = null;
        List<org.jobrunr.jobs.states.JobState> states = job.getJobStates();
        // Skip the Processing state the job was in when its host went; everything after it is the recovery.
        int start = 0;
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i) instanceof ProcessingState && !states.get(i).getCreatedAt().isAfter(happenedAt)) {
                start = i + 1;
            }
        }
        for (int i = start; i < states.size(); i++) {
            org.jobrunr.jobs.states.JobState state = states.get(i);
            if (orphanedAt == null && !(state instanceof ProcessingState)) {
                orphanedAt = state.getCreatedAt();
            }
            if (state instanceof ProcessingState processing && ranAgainAt == null) {
                ranAgainAt = processing.getCreatedAt();
                ranAgainOn = processing.getServerName();
            }
        }
        StateName now = job.getState();
        Instant finishedAt = FINAL.contains(now) && start < states.size() ? job.getJobState().getCreatedAt() : null;
        return new SurvivalReport.JobFate(job.getId(), inFlight.emailId(), recipient, orphanedAt, ranAgainAt, ranAgainOn,
                now.name(), finishedAt);
    }

    private Map<UUID, String> recipientsOf(List<Incident.InFlightJob> jobs) throws SQLException {
        Map<UUID, String> recipients = new HashMap<>();
        if (jobs.isEmpty()) {
            return recipients;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT to_addr FROM jd_email WHERE id = ?")) {
            for (Incident.InFlightJob job : jobs) {
                if (job.emailId() == null) {
                    continue;
                }
                query.setObject(1, job.emailId());
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        recipients.put(job.emailId(), rows.getString(1));
                    }
                }
            }
        }
        return recipients;
    }

    /** The recipients of a bulk job, as its row on the Jobs screen names them; null for any other job. */
    private String bulkRecipients(UUID jobId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, 
                     "SELECT MIN(to_addr), COUNT(*) FROM jd_email WHERE bulk_job_id = ?")) {
            query.setString(1, jobId.toString());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getLong(2) > 0 ? rows.getString(1) + " and " + (rows.getLong(2) - 1) + " more" : null;
            }
        }
    }

    /** For an in-memory host: e-mails handed to it that were never sent (0 for JobRunr hosts, which hold no e-mails). */
    private long lostWith(UUID hostId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT COUNT(*) FROM jd_email e JOIN jd_host h"
                     + " ON h.id = e.memory_host WHERE e.memory_host = ? AND h.stopped_at IS NOT NULL AND NOT " + DELIVERED)) {
            query.setObject(1, hostId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String batchFilter(Optional<UUID> batch) {
        return batch.isPresent() ? " AND e.batch_id = ?" : "";
    }

    private static void bindBatch(PreparedStatement query, Optional<UUID> batch) throws SQLException {
        bindBatch(query, batch, 1);
    }

    /** Binds the batch at {@code index} if there is one; returns the next parameter's index. */
    private static int bindBatch(PreparedStatement query, Optional<UUID> batch, int index) throws SQLException {
        if (batch.isPresent()) {
            query.setObject(index, batch.get());
            return index + 1;
        }
        return index;
    }
}
