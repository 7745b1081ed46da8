package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.SqlDialect;
import dev.jobdeck.core.store.LedgerMarks;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import static dev.jobdeck.core.jobs.SurvivalReports.BATCH_KEY;
import static dev.jobdeck.core.jobs.SurvivalReports.MAYBE_TWICE;
import static dev.jobdeck.core.jobs.SurvivalReports.MAYBE_TWICE_RETRIED_ALL;
import static dev.jobdeck.core.jobs.SurvivalReports.TOTALS;
import static dev.jobdeck.core.jobs.SurvivalReports.TWICE;
import static dev.jobdeck.core.jobs.SurvivalReports.openCounts;
import static dev.jobdeck.core.jobs.SurvivalReports.recomputedLedger;

/**
 * The survival report's kept counts (decision 32): the counts of each batch's open e-mails, kept in
 * {@code jd_ledger_open} by the store's owner as the marks ({@link LedgerMarks}) name the batches written since, so the
 * whole store's ledger costs the marked batches and a sum instead of a read of every open e-mail. Only the owner keeps
 * them (on PostgreSQL, one console at a time); every process reads them.
 */
final class KeptCounts {

    private static final System.Logger LOG = System.getLogger(KeptCounts.class.getName());

    private final DataSource dataSource;
    /** This process owns the store: it writes the kept counts of the open e-mails (decision 32); others only read. */
    private final boolean keepsCounts;

    KeptCounts(DataSource dataSource, boolean keepsCounts) {
        this.dataSource = dataSource;
        this.keepsCounts = keepsCounts;
    }

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
    SurvivalReport.Ledger ledger() throws SQLException {
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

    static final String NAMES_NOTHING = "batch_id IS NULL AND email_id IS NULL AND job_id IS NULL";

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

    static Set<UUID> markedBatches(Connection connection) throws SQLException {
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
}
