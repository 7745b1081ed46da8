package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobRunrJobs;
import dev.jobdeck.core.jobs.jobrunr.JobStates;
import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.store.SqlDialect;

import dev.jobdeck.core.store.Incident;
import dev.jobdeck.core.store.IncidentLog;
import dev.jobdeck.core.store.LedgerMarks;
import org.jobrunr.storage.StorageProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the {@link SurvivalReport} from the store: JobDeck's outbox and delivery ledger, the incident log,
 * and each in-flight job's own state history in JobRunr. Nothing is kept in memory, so the report reads the
 * same after the console itself crashed and restarted.
 */
public final class SurvivalReports {

    private static final System.Logger LOG = System.getLogger(SurvivalReports.class.getName());
    /** JobRunr's table, through the one class that knows it. */
    private static final JobRunrJobs JOBS = new JobRunrJobs();
    static final String DELIVERED =
            "EXISTS (SELECT 1 FROM jd_delivery_attempt a WHERE a.email_id = e.id AND a.outcome = 'SENT')";

    private final DataSource dataSource;
    private final StorageProvider storage;
    private final IncidentLog incidents;
    private final Clock clock;
    /** This process owns the store: it writes the kept counts of the open e-mails (decision 32); others only read. */
    private final KeptCounts kept;
    private final IncidentFates fates;

    public SurvivalReports(DataSource dataSource, StorageProvider storage, IncidentLog incidents, Clock clock,
                           boolean keepsCounts) {
        this.dataSource = dataSource;
        this.storage = storage;
        this.incidents = incidents;
        this.clock = clock;
        this.kept = new KeptCounts(dataSource, keepsCounts);
        this.fates = new IncidentFates(dataSource, storage);
    }

    /** The report for one batch (a Compose, a {@code send}) or, with an empty batch, for everything. */
    public SurvivalReport report(Optional<UUID> batch, int incidentLimit) throws SQLException {
        List<SurvivalReport.IncidentReport> incidentReports = new ArrayList<>();
        for (Incident incident : incidents.recent(incidentLimit)) {
            incidentReports.add(fates.incidentReport(incident));
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

    static SurvivalReport.Ledger recomputedLedger(Connection connection) throws SQLException {
        try (PreparedStatement query = SqlDialect.prepare(connection, ledgerStatement(Optional.empty()))) {
            query.setObject(1, RetentionPass.EVERYTHING);
            try (ResultSet rows = query.executeQuery()) {
                return ledgerOf(rows);
            }
        }
    }

    /** The whole store's ledger from the kept counts (decision 32, {@link KeptCounts#ledger}). */
    SurvivalReport.Ledger keptLedger() throws SQLException {
        return kept.ledger();
    }

    /** Keeps the counts of the batches written since (decision 32, {@link KeptCounts#keepCounts}); the marks removed. */
    public long keepCounts() throws SQLException {
        return kept.keepCounts();
    }

    /** The one row of a ledger statement ({@link #ledgerStatement}'s columns, in order). */
    static SurvivalReport.Ledger ledgerOf(ResultSet rows) throws SQLException {
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
    static final String TOTALS = "SELECT COALESCE(SUM(accepted), 0) AS accepted,"
            + " COALESCE(SUM(delivered), 0) AS delivered, COALESCE(SUM(succeeded), 0) AS succeeded,"
            + " COALESCE(SUM(deleted), 0) AS deleted, COALESCE(SUM(purged), 0) AS purged,"
            + " COALESCE(SUM(re_executed), 0) AS re_executed FROM jd_ledger_total WHERE batch_id = ?";

    /**
     * The open e-mails' counts (accepted, delivered, succeeded, failed, deleted, pending, lost) of those that
     * {@code where} keeps; with {@code perBatch}, one row per batch, its key first (e-mails without a batch under
     * {@link LedgerMarks#NO_BATCH}).
     */
    static String openCounts(String where, boolean perBatch) {
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
    static final String BATCH_KEY = "COALESCE(e.batch_id, CAST('" + LedgerMarks.NO_BATCH + "' AS UUID))";

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
                    + KeptCounts.NAMES_NOTHING)) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    return null;
                }
            }
            Set<UUID> batches = KeptCounts.markedBatches(connection);
            if (batches.size() > KeptCounts.READ_ALL_AT) {
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
