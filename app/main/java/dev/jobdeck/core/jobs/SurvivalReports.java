package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.Incident;
import dev.jobdeck.core.store.IncidentLog;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the {@link SurvivalReport} from the store: JobDeck's outbox and delivery ledger, the incident log,
 * and each in-flight job's own state history in JobRunr. Nothing is kept in memory, so the report reads the
 * same after the console itself crashed and restarted.
 */
public final class SurvivalReports {

    /** JobRunr's table, through the one class that knows it. */
    private static final JobRunrTables JOBS = new JobRunrTables();
    private static final Set<StateName> FINAL = Set.of(StateName.SUCCEEDED, StateName.FAILED, StateName.DELETED);
    static final String DELIVERED =
            "EXISTS (SELECT 1 FROM jd_delivery_attempt a WHERE a.email_id = e.id AND a.outcome = 'SENT')";

    private final DataSource dataSource;
    private final StorageProvider storage;
    private final IncidentLog incidents;
    private final Clock clock;

    public SurvivalReports(DataSource dataSource, StorageProvider storage, IncidentLog incidents, Clock clock) {
        this.dataSource = dataSource;
        this.storage = storage;
        this.incidents = incidents;
        this.clock = clock;
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
     * {@link RetentionPass}) are counted from their batch's total, kept or removed by retention; only the open ones
     * are read, in the same statement, so a settlement or a purge committing meanwhile is seen whole or not at all.
     */
    public SurvivalReport.Ledger ledger(Optional<UUID> batch) throws SQLException {
        String sql = ledgerStatement(batch);
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            int next = bindBatch(query, batch, 1);
            next = bindBatch(query, batch, next);
            query.setObject(next, batch.orElse(RetentionPass.EVERYTHING));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return new SurvivalReport.Ledger(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                        rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getLong(8), rows.getLong(9));
            }
        }
    }

    /** {@link #ledger}'s statement: the batch's id twice when there is one, then the batch (or everything) again. */
    static String ledgerStatement(Optional<UUID> batch) {
        String open = """
                SELECT COUNT(*) AS accepted,
                       COALESCE(SUM(CASE WHEN category = 'DELIVERED' THEN 1 ELSE 0 END), 0) AS delivered,
                       COALESCE(SUM(CASE WHEN state = %2$s OR (state IS NULL AND delivered) THEN 1 ELSE 0 END), 0)
                               AS succeeded,
                       COALESCE(SUM(CASE WHEN category = 'FAILED' THEN 1 ELSE 0 END), 0) AS failed,
                       COALESCE(SUM(CASE WHEN category = 'DELETED' THEN 1 ELSE 0 END), 0) AS deleted,
                       COALESCE(SUM(CASE WHEN category = 'PENDING' THEN 1 ELSE 0 END), 0) AS pending,
                       COALESCE(SUM(CASE WHEN category = 'LOST' THEN 1 ELSE 0 END), 0) AS lost
                FROM (SELECT delivered, state,
                             CASE WHEN delivered THEN 'DELIVERED'
                                  WHEN state = %3$s THEN 'FAILED'
                                  WHEN state = %4$s THEN 'DELETED'
                                  WHEN %5$s THEN 'PENDING'
                                  WHEN state IS NULL AND job_to_come THEN 'PENDING'
                                  ELSE 'LOST' END AS category
                      FROM (SELECT %1$s AS delivered,
                                   COALESCE(e.batch_id IN (SELECT u.batch_id FROM jd_unqueued_batch u), FALSE)
                                           AS job_to_come,
                                   CASE WHEN j.id IS NOT NULL THEN j.state
                                        WHEN b.id IS NOT NULL AND %1$s THEN %2$s
                                        ELSE b.state END AS state
                            FROM jd_email e %6$s
                            %7$s
                            WHERE e.settled_at IS NULL AND e.kind IN ('ONE_OFF', 'RECURRING_RUN')""".formatted(DELIVERED,
                        JobRunrTables.literal(StateName.SUCCEEDED), JobRunrTables.literal(StateName.FAILED),
                        JobRunrTables.literal(StateName.DELETED), JobRunrTables.stateIn("state", JobRunrTables.PENDING),
                        JOBS.leftJoinJob("j", "e.job_id"), JOBS.leftJoinJob("b", "e.bulk_job_id"))
                + batchFilter(batch) + ") x) y";
        String twice = "SELECT COUNT(*) AS twice FROM (" + maybeTwiceRetried(batch) + " GROUP BY e.id"
                + " HAVING " + TWICE + ") z";
        String sql = "SELECT o.accepted + t.accepted, o.delivered + t.delivered, o.succeeded + t.succeeded, o.failed,"
                + " o.deleted + t.deleted, o.pending, o.lost, r.twice + t.re_executed, t.purged"
                + " FROM (" + open + ") o, (" + twice + ") r,"
                + " (SELECT COALESCE(SUM(accepted), 0) AS accepted, COALESCE(SUM(delivered), 0) AS delivered,"
                + " COALESCE(SUM(succeeded), 0) AS succeeded, COALESCE(SUM(deleted), 0) AS deleted,"
                + " COALESCE(SUM(purged), 0) AS purged, COALESCE(SUM(re_executed), 0) AS re_executed"
                + " FROM jd_ledger_total WHERE batch_id = ?) t";
        return sql;
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
     * {@link #MAYBE_TWICE} for the e-mails retried only. Only an e-mail with a second attempt can have reached the
     * server twice, and attempts are numbered from 1 per e-mail: the index on the number finds those few instead of
     * reading every e-mail's attempts. They are a derived table, read once per query: as {@code e.id IN (SELECT ...)}
     * H2 ran the subquery again for every e-mail whenever the store had changed since its last run, so with a host
     * delivering, the report over a console's store took longer than the scripts' 20 s network timeout at 100,000.
     */
    static final String MAYBE_TWICE_RETRIED = MAYBE_TWICE.replace(" FROM jd_email e JOIN",
            " FROM (SELECT DISTINCT r.email_id FROM jd_delivery_attempt r WHERE r.attempt >= 2) rt"
                    + " JOIN jd_email e ON e.id = rt.email_id JOIN");
    /**
     * {@link #MAYBE_TWICE_RETRIED} over the whole store: the retried e-mails' ids come from the attempts' index alone
     * (named {@code e.id}, as the callers group by it), and no e-mail's row is read (3.4 s instead of 6.2 s at a
     * million jobs with 386,000 retries).
     */
    static final String MAYBE_TWICE_RETRIED_ALL = MAYBE_TWICE.replace(" FROM jd_email e JOIN",
            " FROM (SELECT DISTINCT r.email_id AS id FROM jd_delivery_attempt r WHERE r.attempt >= 2) e JOIN");

    /** The e-mails that may have reached the server twice, of {@code batch} or of the whole store, per e-mail id. */
    private static String maybeTwiceRetried(Optional<UUID> batch) {
        return batch.isPresent() ? MAYBE_TWICE_RETRIED + batchFilter(batch) : MAYBE_TWICE_RETRIED_ALL;
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
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
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
        String sql = "SELECT x.id, e.job_id, e.to_addr, x.attempts, x.sent, f.message_id, f.host, f.started_at"
                + " FROM (" + maybeTwiceRetried(batch) + " GROUP BY e.id HAVING " + TWICE + ") x"
                + " JOIN jd_email e ON e.id = x.id"
                + " JOIN jd_delivery_attempt f ON f.job_id = e.job_id AND f.attempt = (SELECT MIN(a.attempt)"
                + " FROM jd_delivery_attempt a WHERE a.job_id = e.job_id AND a.outcome IN ('SENT', 'STARTED'))"
                + " ORDER BY f.started_at LIMIT 1000";
        List<SurvivalReport.ReExecution> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            bindBatch(query, batch);
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
        List<JobState> states = job.getJobStates();
        // Skip the Processing state the job was in when its host went; everything after it is the recovery.
        int start = 0;
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i) instanceof ProcessingState && !states.get(i).getCreatedAt().isAfter(happenedAt)) {
                start = i + 1;
            }
        }
        for (int i = start; i < states.size(); i++) {
            JobState state = states.get(i);
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
             PreparedStatement query = connection.prepareStatement("SELECT to_addr FROM jd_email WHERE id = ?")) {
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
             PreparedStatement query = connection.prepareStatement(
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
             PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM jd_email e JOIN jd_host h"
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
