package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.JobState;

import dev.jobdeck.core.jobs.ReplyStatus;
import dev.jobdeck.core.store.TriggerColumns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import org.h2.api.Trigger;
import org.jobrunr.jobs.states.StateName;

import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.jobdeck.core.jobs.jobrunr.JobRunrJobs.*;
import static dev.jobdeck.core.jobs.jobrunr.JobRunrSchema.*;
import static dev.jobdeck.core.jobs.jobrunr.StateCounters.*;
import static dev.jobdeck.core.jobs.jobrunr.JobPageSql.*;
import static dev.jobdeck.core.jobs.jobrunr.JobSearchSql.*;
import static dev.jobdeck.core.jobs.JobRunrTables.COUNT_LIMIT;

/**
 * Keeps {@code jd_job_key} (each job's sort keys: what its row in the Jobs table shows) and {@code jd_job_word} (the
 * words of its subject, error replies and failure message) as jobs, e-mails and attempts are written, in the writer's
 * transaction (decision 30). One class serves the three tables' triggers, told apart by the table it watches:
 * <ul>
 *     <li>a job inserted gets its row, from its e-mail(s) and attempts already there (e-mails come first when sent);
 *     a job deleted loses its row and words; a job that fails notes the words of its failure message;</li>
 *     <li>an e-mail inserted fills the row of its job or bulk job if that job came first (a generated store);</li>
 *     <li>an attempt written refreshes its job's and bulk job's tries, host, code and reply by index lookups.</li>
 * </ul>
 * Only the job's row is ever updated, and only by writes about that job, never on JobRunr's state changes, so JobRunr's
 * writers never wait on it. Created by {@link JobRunrSchema#migrate}; it must stay cheap and never fail.
 */
public class KeysTrigger implements Trigger {

    /** Longest subject and reply key kept: a tie past them is ordered by job id. */
    public static final int TEXT_KEY = 200;
    public static final int WORD = 40;
    private static final List<String> ERRORS = List.of("TRANSIENT_FAILURE", "PERMANENT_FAILURE");
    private static final String SKIPPED = "SKIPPED_ALREADY_SENT";

    private enum Source { JOBS, EMAILS, ATTEMPTS }

    /** Reads job JSON; immutable and thread-safe, so one serves every trigger. */
    private static final ObjectReader JSON = new ObjectMapper().reader();
    private Source source;
    private int id;
    private int state;
    private int jobJson;
    private int jobId;
    private int bulkJobId;
    private int to;
    private int subject;
    private int outcome;
    private int reply;

    @Override
    public void init(Connection connection, String schema, String trigger, String table, boolean before, int type)
            throws SQLException {
        switch (table.toUpperCase(Locale.ROOT)) {
            case "JD_EMAIL" -> {
                source = Source.EMAILS;
                jobId = TriggerColumns.position(connection, schema, table, "JOB_ID");
                bulkJobId = TriggerColumns.position(connection, schema, table, "BULK_JOB_ID");
                to = TriggerColumns.position(connection, schema, table, "TO_ADDR");
                subject = TriggerColumns.position(connection, schema, table, "SUBJECT");
            }
            case "JD_DELIVERY_ATTEMPT" -> {
                source = Source.ATTEMPTS;
                jobId = TriggerColumns.position(connection, schema, table, "JOB_ID");
                bulkJobId = TriggerColumns.position(connection, schema, table, "BULK_JOB_ID");
                outcome = TriggerColumns.position(connection, schema, table, "OUTCOME");
                reply = TriggerColumns.position(connection, schema, table, "SMTP_REPLY");
            }
            default -> {
                source = Source.JOBS;
                id = TriggerColumns.position(connection, schema, table, "ID");
                state = TriggerColumns.position(connection, schema, table, "STATE");
                jobJson = TriggerColumns.position(connection, schema, table, "JOBASJSON");
            }
        }
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        switch (source) {
            case JOBS -> {
                if (newRow == null) {
                    forget(connection, text(oldRow[id]));
                } else if (oldRow == null) {
                    insertKeys(connection, text(newRow[id]), failed(newRow[state]) ? failureText(newRow[jobJson]) : "");
                } else if (failed(newRow[state]) && !failed(oldRow[state])) {
                    noteWords(connection, text(newRow[id]), failureText(newRow[jobJson]));
                }
            }
            case EMAILS -> {
                if (newRow == null || oldRow != null) {
                    return;
                }
                String own = text(newRow[jobId]);
                String bulk = text(newRow[bulkJobId]);
                String address = text(newRow[to]);
                String title = text(newRow[subject]);
                if (own != null && hasKeys(connection, own)) {
                    setEmail(connection, own, address, title);
                    noteWords(connection, own, title);
                } else if (own != null && exists(connection, own)) {
                    keyNow(connection, own);
                }
                if (bulk != null && hasKeys(connection, bulk)) {
                    offerMember(connection, bulk, address, title);
                    noteWords(connection, bulk, title);
                } else if (bulk != null && exists(connection, bulk)) {
                    keyNow(connection, bulk);
                }
            }
            case ATTEMPTS -> {
                if (newRow == null) {
                    return;
                }
                String own = text(newRow[jobId]);
                String bulk = text(newRow[bulkJobId]);
                String newReply = text(newRow[reply]);
                boolean error = ERRORS.contains(text(newRow[outcome])) && newReply != null
                        && (oldRow == null || !newReply.equals(text(oldRow[reply])));
                if (hasKeys(connection, own)) {
                    refreshSingle(connection, own);
                    if (error) {
                        noteWords(connection, own, newReply);
                    }
                } else if (exists(connection, own)) {
                    keyNow(connection, own);
                }
                if (bulk != null && hasKeys(connection, bulk)) {
                    refreshBulk(connection, bulk);
                    if (error) {
                        noteWords(connection, bulk, newReply);
                    }
                } else if (bulk != null && exists(connection, bulk)) {
                    keyNow(connection, bulk);
                }
            }
            default -> throw new IllegalStateException("unknown source");
        }
    }

    private static boolean failed(Object state) {
        return JobState.FAILED.name().equals(text(state));
    }

    // Keys

    /**
     * Writes the row (and words) of job {@code job} from what is there now: its own e-mail, else the first recipient of
     * the bulk job it is; its attempts; {@code failure} (the failure message, if it failed). Also rebuilds a store.
     */
    public static void insertKeys(Connection connection, String job, String failure) throws SQLException {
        String address = "";
        String title = "";
        boolean single = false;
        try (PreparedStatement own = connection.prepareStatement("SELECT to_addr, subject FROM jd_email WHERE job_id = ?")) {
            own.setString(1, job);
            try (ResultSet rows = own.executeQuery()) {
                if (rows.next()) {
                    single = true;
                    address = rows.getString(1);
                    title = rows.getString(2);
                }
            }
        }
        Set<String> words = new LinkedHashSet<>(words(title));
        if (!single) {
            try (PreparedStatement first = connection.prepareStatement("SELECT to_addr, subject FROM jd_email"
                    + " WHERE bulk_job_id = ? ORDER BY bulk_job_id, to_addr LIMIT 1")) {
                first.setString(1, job);
                try (ResultSet rows = first.executeQuery()) {
                    if (rows.next()) {
                        address = rows.getString(1);
                        title = rows.getString(2);
                        // Other recipients' subjects (a template's merged fields) only when the first one has any.
                        try (PreparedStatement subjects = connection.prepareStatement(
                                "SELECT DISTINCT subject FROM jd_email WHERE bulk_job_id = ?")) {
                            subjects.setString(1, job);
                            try (ResultSet each = subjects.executeQuery()) {
                                while (each.next()) {
                                    words.addAll(words(each.getString(1)));
                                }
                            }
                        }
                    }
                }
            }
        }
        Attempts attempts = single ? singleAttempts(connection, job) : bulkAttempts(connection, job);
        try (PreparedStatement merge = connection.prepareStatement("MERGE INTO jd_job_key (job_id, recipient, subject,"
                + " tries, host, code, reply) KEY (job_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            merge.setString(1, job);
            merge.setString(2, cut(lower(address), 320));
            merge.setString(3, cut(lower(title), TEXT_KEY));
            merge.setInt(4, attempts.tries());
            merge.setString(5, attempts.host());
            merge.setInt(6, attempts.code());
            merge.setString(7, attempts.reply());
            merge.executeUpdate();
        }
        try (PreparedStatement errors = connection.prepareStatement("SELECT smtp_reply FROM jd_delivery_attempt WHERE "
                + (single ? "job_id" : "bulk_job_id") + " = ? AND outcome IN ('TRANSIENT_FAILURE', 'PERMANENT_FAILURE')"
                + " AND smtp_reply IS NOT NULL")) {
            errors.setString(1, job);
            try (ResultSet rows = errors.executeQuery()) {
                while (rows.next()) {
                    words.addAll(words(rows.getString(1)));
                }
            }
        }
        words.addAll(words(failure));
        insertWords(connection, job, words);
    }

    private static boolean hasKeys(Connection connection, String job) throws SQLException {
        if (job == null) {
            return false;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM jd_job_key WHERE job_id = ?")) {
            query.setString(1, job);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Whether JobRunr holds the job: an e-mail is written before its job (decision 20), an attempt after. */
    private static boolean exists(Connection connection, String job) throws SQLException {
        if (job == null) {
            return false;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM " + JobRunrJobs.JOBS + " WHERE id = ?")) {
            query.setString(1, job);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * An existing job without a key row (its store's one-time build, {@link JobKeysBuild}, has not reached it): its
     * row and words are written whole now, from what this transaction sees, so an attempt is never lost to a build
     * that read the job before it. When the build claimed the row meanwhile, this waits for the build's chunk, fails
     * on the duplicate, and writes again over the build's row.
     */
    private static void keyNow(Connection connection, String job) throws SQLException {
        String failure = "";
        try (PreparedStatement query = connection.prepareStatement("SELECT jobAsJson FROM " + JobRunrJobs.JOBS
                + " WHERE id = ? AND state = " + JobStates.literal(JobState.FAILED))) {
            query.setString(1, job);
            try (ResultSet rows = query.executeQuery()) {
                if (rows.next()) {
                    failure = failureOf(rows.getString(1));
                }
            }
        }
        try {
            insertKeys(connection, job, failure);
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            insertKeys(connection, job, failure);
        }
    }

    private static void setEmail(Connection connection, String job, String address, String title) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE jd_job_key SET recipient = ?, subject = ? WHERE job_id = ?")) {
            update.setString(1, cut(lower(address), 320));
            update.setString(2, cut(lower(title), TEXT_KEY));
            update.setString(3, job);
            update.executeUpdate();
        }
    }

    /** A bulk job's row names its first recipient in address order: this one, if it comes before the one named. */
    private static void offerMember(Connection connection, String bulk, String address, String title) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE jd_job_key SET recipient = ?, subject = ?"
                + " WHERE job_id = ? AND (recipient = '' OR recipient > ?)")) {
            String key = cut(lower(address), 320);
            update.setString(1, key);
            update.setString(2, cut(lower(title), TEXT_KEY));
            update.setString(3, bulk);
            update.setString(4, key);
            update.executeUpdate();
        }
    }

    private record Attempts(int tries, String host, int code, String reply) {
        static final Attempts NONE = new Attempts(0, "", 0, "");
    }

    /** A single job's tries (attempts that tried) and its latest attempt: the primary key's range for the job. */
    private static Attempts singleAttempts(Connection connection, String job) throws SQLException {
        int tries;
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM jd_delivery_attempt"
                + " WHERE job_id = ? AND outcome <> '" + SKIPPED + "'")) {
            count.setString(1, job);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                tries = rows.getInt(1);
            }
        }
        return latest(connection, tries, "SELECT host, smtp_code, smtp_reply FROM jd_delivery_attempt WHERE job_id = ?"
                + " ORDER BY attempt DESC LIMIT 1", job);
    }

    /** A bulk job's most tries at one recipient and the latest attempt at any: the first entry of an index each. */
    private static Attempts bulkAttempts(Connection connection, String job) throws SQLException {
        int tries = 0;
        try (PreparedStatement most = connection.prepareStatement("SELECT attempt FROM jd_delivery_attempt"
                + " WHERE bulk_job_id = ? AND outcome <> '" + SKIPPED + "' ORDER BY bulk_job_id DESC, attempt DESC LIMIT 1")) {
            most.setString(1, job);
            try (ResultSet rows = most.executeQuery()) {
                if (rows.next()) {
                    tries = rows.getInt(1);
                }
            }
        }
        return latest(connection, tries, "SELECT host, smtp_code, smtp_reply FROM jd_delivery_attempt"
                + " WHERE bulk_job_id = ? ORDER BY bulk_job_id DESC, started_at DESC LIMIT 1", job);
    }

    private static Attempts latest(Connection connection, int tries, String sql, String job) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, job);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return tries == 0 ? Attempts.NONE : new Attempts(tries, "", 0, "");
                }
                String host = rows.getString(1);
                int code = rows.getInt(2);
                return new Attempts(tries, host == null ? "" : cut(host, 200), Math.max(code, 0),
                        replyKey(rows.getString(3)));
            }
        }
    }

    private static void refreshSingle(Connection connection, String job) throws SQLException {
        update(connection, job, singleAttempts(connection, job));
    }

    private static void refreshBulk(Connection connection, String job) throws SQLException {
        update(connection, job, bulkAttempts(connection, job));
    }

    private static void update(Connection connection, String job, Attempts attempts) throws SQLException {
        // Unchanged keys are not written: a bulk job's every recipient's attempt would rewrite its index entries.
        try (PreparedStatement update = connection.prepareStatement("UPDATE jd_job_key SET tries = ?, host = ?, code = ?,"
                + " reply = ? WHERE job_id = ? AND (tries <> ? OR host <> ? OR code <> ? OR reply <> ?)")) {
            update.setInt(1, attempts.tries());
            update.setString(2, attempts.host());
            update.setInt(3, attempts.code());
            update.setString(4, attempts.reply());
            update.setString(5, job);
            update.setInt(6, attempts.tries());
            update.setString(7, attempts.host());
            update.setInt(8, attempts.code());
            update.setString(9, attempts.reply());
            update.executeUpdate();
        }
    }

    private static void forget(Connection connection, String job) throws SQLException {
        try (PreparedStatement keys = connection.prepareStatement("DELETE FROM jd_job_key WHERE job_id = ?");
             PreparedStatement words = connection.prepareStatement("DELETE FROM jd_job_word WHERE job_id = ?")) {
            keys.setString(1, job);
            keys.executeUpdate();
            words.setString(1, job);
            words.executeUpdate();
        }
    }

    // Words

    private static void noteWords(Connection connection, String job, String text) throws SQLException {
        insertWords(connection, job, words(text));
    }

    private static void insertWords(Connection connection, String job, Set<String> words) throws SQLException {
        if (words.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jd_job_word (word, job_id) SELECT ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM jd_job_word WHERE word = ? AND job_id = ?)")) {
            for (String word : words) {
                insert.setString(1, word);
                insert.setString(2, job);
                insert.setString(3, word);
                insert.setString(4, job);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The words of {@code text} as the word index keeps them and a search looks them up: lower-cased runs of letters
     * and digits, each cut to {@value #WORD} characters, in order, once each.
     */
    public static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return words;
        }
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(cut(word, WORD));
            }
        }
        return words;
    }

    /** The text of JobRunr's latest Failed state in the job's JSON (a CLOB or a String): its message and the exception's. */
    private static String failureText(Object value) {
        try {
            return failureOf(value instanceof Clob clob ? clob.getSubString(1, (int) clob.length()) : text(value));
        } catch (SQLException e) {
            return "";
        }
    }

    /** The text of JobRunr's latest Failed state in {@code jobJson}; empty when there is none or it cannot be read. */
    public static String failureOf(String jobJson) {
        if (jobJson == null) {
            return "";
        }
        try {
            JsonNode history = JSON.readTree(jobJson).path("jobHistory");
            for (int i = history.size() - 1; i >= 0; i--) {
                JsonNode state = history.get(i);
                if (state.path("@class").asText("").endsWith(".FailedState")) {
                    return state.path("message").asText("") + " " + state.path("exceptionMessage").asText("");
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // A job's JSON JobDeck cannot read only leaves its failure message out of the word index.
            System.getLogger(KeysTrigger.class.getName()).log(System.Logger.Level.DEBUG,
                    "Failure message not indexed: {0}", e.toString());
        }
        return "";
    }

    /** The Last reply column's sort key: the reply without its code and enhanced status, lower-cased, cut. */
    public static String replyKey(String reply) {
        String text = ReplyStatus.withoutStatus(reply);
        return text == null ? "" : cut(lower(text.strip()), TEXT_KEY);
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    private static String cut(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString().trim();
    }
}
