package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The delivery ledger: every attempt, when it ran, where, and what the SMTP server answered. */
public final class DeliveryLedger {

    private static final int REPLY_LIMIT = 2000;

    private final DataSource dataSource;
    private final GroupCommit writes;

    /** @param writes commits the rows of concurrent attempts together; reads go straight to {@code dataSource} */
    public DeliveryLedger(DataSource dataSource, GroupCommit writes) {
        this.dataSource = dataSource;
        this.writes = writes;
    }

    /** Asks the store for nothing but an answer: whether the ledger can be reached now. */
    void ping() throws SQLException {
        try (Connection connection = dataSource.getConnection(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    /** Records the start of an attempt and returns its number (1 for the first). */
    public int begin(UUID jobId, UUID emailId, String host, String messageId, Instant now) throws SQLException {
        return writes.run(connection -> {
            int attempt;
            try (PreparedStatement next = connection.prepareStatement(
                    "SELECT COALESCE(MAX(attempt), 0) + 1 FROM jd_delivery_attempt WHERE job_id = ?")) {
                next.setString(1, jobId.toString());
                try (ResultSet rows = next.executeQuery()) {
                    rows.next();
                    attempt = rows.getInt(1);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(BEGIN_SQL)) {
                bindBegin(insert, jobId, attempt, emailId, host, now, messageId);
                insert.executeUpdate();
            }
            return attempt;
        });
    }

    private static final String BEGIN_SQL = "INSERT INTO jd_delivery_attempt"
            + " (job_id, attempt, email_id, host, started_at, outcome, message_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String FINISH_SQL = "UPDATE jd_delivery_attempt"
            + " SET finished_at = ?, outcome = ?, smtp_code = ?, smtp_reply = ? WHERE job_id = ? AND attempt = ?";
    /** The end of a journaled attempt, found by its run: the fold may have numbered it anew (see {@link #apply}). */
    private static final String FINISH_RUN_SQL = "UPDATE jd_delivery_attempt"
            + " SET finished_at = ?, outcome = ?, smtp_code = ?, smtp_reply = ? WHERE job_id = ? AND run_id = ?";

    private static void bindBegin(PreparedStatement insert, UUID jobId, int attempt, UUID emailId, String host,
                                  Instant now, String messageId) throws SQLException {
        insert.setString(1, jobId.toString());
        insert.setInt(2, attempt);
        insert.setObject(3, emailId);
        insert.setString(4, host);
        insert.setObject(5, Outbox.utc(now));
        insert.setString(6, DeliveryAttempt.Outcome.STARTED.name());
        insert.setString(7, messageId);
        insert.setObject(8, UUID.randomUUID());
    }

    private static void bindFinish(PreparedStatement update, UUID jobId, int attempt, DeliveryAttempt.Outcome outcome,
                                   Integer smtpCode, String smtpReply, Instant now) throws SQLException {
        update.setObject(1, Outbox.utc(now));
        update.setString(2, outcome.name());
        update.setObject(3, smtpCode);
        update.setString(4, truncate(smtpReply));
        update.setString(5, jobId.toString());
        update.setInt(6, attempt);
    }

    private static void bindFinish(PreparedStatement update, Finish finish) throws SQLException {
        bindFinish(update, finish.jobId(), finish.attempt(), finish.outcome(), finish.smtpCode(), finish.smtpReply(),
                finish.at());
        if (finish.runId() != null) {
            update.setObject(6, finish.runId());
        }
    }

    public void finish(UUID jobId, int attempt, DeliveryAttempt.Outcome outcome, Integer smtpCode, String smtpReply,
                       Instant now) throws SQLException {
        writes.run(connection -> {
            try (PreparedStatement update = connection.prepareStatement(FINISH_SQL)) {
                bindFinish(update, jobId, attempt, outcome, smtpCode, smtpReply, now);
                return update.executeUpdate();
            }
        });
    }

    /** One step a bulk job records: an attempt's start or its end. */
    public sealed interface Entry permits Begin, Finish {
        UUID jobId();

        /** The run (one execution of a bulk job) that made the attempt; null in journals written before runs. */
        UUID runId();

        int attempt();

        /** Where the attempt's row is found: by its run, since the fold may number it anew; else by its number. */
        default String rowKey() {
            return jobId() + "/" + (runId() == null ? "#" + attempt() : runId());
        }
    }

    /**
     * The start of an attempt whose number the caller believes comes next (a bulk job reads every e-mail's attempts
     * up front); the fold numbers it anew if another run took that number meanwhile.
     */
    public record Begin(UUID jobId, UUID runId, int attempt, UUID emailId, String host, String messageId, Instant at)
            implements Entry {
    }

    /** The end of an attempt. */
    public record Finish(UUID jobId, UUID runId, int attempt, DeliveryAttempt.Outcome outcome, Integer smtpCode,
                         String smtpReply, Instant at) implements Entry {
    }

    private static final String COLUMNS = "job_id, run_id, attempt, email_id, host, started_at, finished_at, outcome,"
            + " smtp_code, smtp_reply, message_id";
    private static final String SOURCE = " USING (VALUES (CAST(? AS CHAR(36)), CAST(? AS UUID), CAST(? AS INT),"
            + " CAST(? AS UUID), CAST(? AS VARCHAR(200)), CAST(? AS TIMESTAMP WITH TIME ZONE),"
            + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(32)), CAST(? AS INT), CAST(? AS VARCHAR(2000)),"
            + " CAST(? AS VARCHAR(200)))) s(" + COLUMNS + ")";
    private static final String WHEN_MATCHED = " WHEN MATCHED AND s.outcome <> 'STARTED' THEN UPDATE SET"
            + " finished_at = s.finished_at, outcome = s.outcome, smtp_code = s.smtp_code, smtp_reply = s.smtp_reply";

    /**
     * An attempt of a run, applied again or for the first time: matched by its run, so another run's attempt is never
     * overwritten. Two runs of one job can hold the same recipient (a re-run of a job whose host the store lost touch
     * with while it still sent): the second one to reach the ledger takes the next free number, so both attempts are
     * kept and the survival report sees both.
     */
    private static final String MERGE_RUN_SQL = "MERGE INTO jd_delivery_attempt t" + SOURCE
            + " ON t.job_id = s.job_id AND t.run_id = s.run_id" + WHEN_MATCHED
            + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (s.job_id, s.run_id,"
            + " CASE WHEN EXISTS (SELECT 1 FROM jd_delivery_attempt x WHERE x.job_id = s.job_id AND x.attempt = s.attempt)"
            + " THEN (SELECT MAX(x.attempt) + 1 FROM jd_delivery_attempt x WHERE x.job_id = s.job_id) ELSE s.attempt END,"
            + " s.email_id, s.host, s.started_at, s.finished_at, s.outcome, s.smtp_code, s.smtp_reply, s.message_id)";

    /** An attempt from a journal written before runs were recorded: matched by its number, as then. */
    private static final String MERGE_NUMBERED_SQL = "MERGE INTO jd_delivery_attempt t" + SOURCE
            + " ON t.job_id = s.job_id AND t.attempt = s.attempt" + WHEN_MATCHED
            + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (s.job_id, s.run_id, s.attempt, s.email_id, s.host,"
            + " s.started_at, s.finished_at, s.outcome, s.smtp_code, s.smtp_reply, s.message_id)";

    private static final String INSERT_SQL = "INSERT INTO jd_delivery_attempt (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Writes journaled entries ({@link LedgerJournal}) in one commit, in their order. An attempt started and ended
     * within {@code entries} becomes one row. With {@code again} (entries that may have been applied before: a dead
     * or silent process's journal, a fold whose commit failed), applying them changes nothing already there: a start
     * already recorded is not inserted twice, never turns an ended attempt back into a started one, and never takes
     * the place of another run's attempt. Without it, a plain insert; if another run holds an attempt's number, the
     * insert fails and the journal applies the entries again with {@code again}.
     */
    void apply(List<Entry> entries, boolean again) throws SQLException {
        Map<String, Object[]> rows = new LinkedHashMap<>();
        List<Finish> endsOfEarlierStarts = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry instanceof Begin begin) {
                rows.put(begin.rowKey(), new Object[] {begin.jobId().toString(), begin.runId(), begin.attempt(),
                        begin.emailId(), begin.host(), Outbox.utc(begin.at()), null,
                        DeliveryAttempt.Outcome.STARTED.name(), null, null, begin.messageId()});
            } else if (entry instanceof Finish finish) {
                Object[] row = rows.get(finish.rowKey());
                if (row == null) {
                    endsOfEarlierStarts.add(finish);
                } else {
                    row[6] = Outbox.utc(finish.at());
                    row[7] = finish.outcome().name();
                    row[8] = finish.smtpCode();
                    row[9] = truncate(finish.smtpReply());
                }
            }
        }
        writes.run(connection -> {
            if (!endsOfEarlierStarts.isEmpty()) {
                try (PreparedStatement byRun = connection.prepareStatement(FINISH_RUN_SQL);
                     PreparedStatement byNumber = connection.prepareStatement(FINISH_SQL)) {
                    for (Finish finish : endsOfEarlierStarts) {
                        PreparedStatement update = finish.runId() == null ? byNumber : byRun;
                        bindFinish(update, finish);
                        update.addBatch();
                    }
                    byRun.executeBatch();
                    byNumber.executeBatch();
                }
            }
            if (!rows.isEmpty()) {
                if (!again) {
                    try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
                        addAll(insert, rows.values());
                    }
                } else {
                    try (PreparedStatement byRun = connection.prepareStatement(MERGE_RUN_SQL)) {
                        addAll(byRun, rows.values().stream().filter(row -> row[1] != null).toList());
                    }
                    try (PreparedStatement byNumber = connection.prepareStatement(MERGE_NUMBERED_SQL)) {
                        addAll(byNumber, rows.values().stream().filter(row -> row[1] == null).toList());
                    }
                }
            }
            return null;
        });
    }

    private static void addAll(PreparedStatement statement, java.util.Collection<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                statement.setObject(i + 1, row[i]);
            }
            statement.addBatch();
        }
        statement.executeBatch();
    }

    /**
     * True when the server already accepted this e-mail, in any attempt of any job (its own, or a bulk job's):
     * the check that keeps a job re-run after a crash from delivering twice.
     */
    public boolean emailAlreadySent(UUID emailId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT 1 FROM jd_delivery_attempt WHERE email_id = ? AND outcome = 'SENT' LIMIT 1")) {
            query.setObject(1, emailId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    public List<DeliveryAttempt> attemptsOf(UUID jobId) throws SQLException {
        return attempts("SELECT * FROM jd_delivery_attempt WHERE job_id = ? ORDER BY attempt", jobId);
    }

    /** Every attempt at the e-mails of bulk job {@code bulkJobId}, in the order they started. */
    public List<DeliveryAttempt> attemptsOfBulk(UUID bulkJobId) throws SQLException {
        return attempts("SELECT a.* FROM jd_delivery_attempt a JOIN jd_email e ON e.id = a.email_id"
                + " WHERE e.bulk_job_id = ? ORDER BY a.started_at, a.job_id, a.attempt", bulkJobId);
    }

    private List<DeliveryAttempt> attempts(String sql, UUID id) throws SQLException {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, id.toString());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int code = rows.getInt("smtp_code");
                    attempts.add(new DeliveryAttempt(
                            UUID.fromString(rows.getString("job_id").trim()),
                            rows.getInt("attempt"),
                            rows.getObject("email_id", UUID.class),
                            rows.getString("host"),
                            Outbox.instant(rows, "started_at"),
                            Outbox.instant(rows, "finished_at"),
                            DeliveryAttempt.Outcome.valueOf(rows.getString("outcome")),
                            rows.wasNull() ? null : code,
                            rows.getString("smtp_reply"),
                            rows.getString("message_id")));
                }
            }
        }
        return attempts;
    }

    /** A reply as the ledger keeps it: at most {@link #REPLY_LIMIT} characters. */
    static String truncate(String text) {
        return text == null || text.length() <= REPLY_LIMIT ? text : text.substring(0, REPLY_LIMIT);
    }
}
