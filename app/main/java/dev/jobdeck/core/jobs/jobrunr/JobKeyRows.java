package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

import static dev.jobdeck.core.jobs.jobrunr.KeyText.TEXT_KEY;
import static dev.jobdeck.core.jobs.jobrunr.KeyText.cut;
import static dev.jobdeck.core.jobs.jobrunr.KeyText.lower;
import static dev.jobdeck.core.jobs.jobrunr.KeyText.replyKey;
import static dev.jobdeck.core.jobs.jobrunr.KeyText.words;

/**
 * The writes that keep a job's row of sort keys ({@code jd_job_key}) and its words ({@code jd_job_word}), on the
 * writer's connection and transaction (decision 30): called by the key triggers ({@link KeysTrigger}) as jobs, e-mails
 * and attempts are written, and by the one-time build of a store's keys ({@link JobKeysBuild}).
 */
final class JobKeyRows {

    private static final String SKIPPED = "SKIPPED_ALREADY_SENT";

    private JobKeyRows() {
    }

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

    static boolean hasKeys(Connection connection, String job) throws SQLException {
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
    static boolean exists(Connection connection, String job) throws SQLException {
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
    static void keyNow(Connection connection, String job) throws SQLException {
        String failure = "";
        try (PreparedStatement query = connection.prepareStatement("SELECT jobAsJson FROM " + JobRunrJobs.JOBS
                + " WHERE id = ? AND state = " + JobStates.literal(JobState.FAILED))) {
            query.setString(1, job);
            try (ResultSet rows = query.executeQuery()) {
                if (rows.next()) {
                    failure = KeyText.failureOf(rows.getString(1));
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

    static void setEmail(Connection connection, String job, String address, String title) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE jd_job_key SET recipient = ?, subject = ? WHERE job_id = ?")) {
            update.setString(1, cut(lower(address), 320));
            update.setString(2, cut(lower(title), TEXT_KEY));
            update.setString(3, job);
            update.executeUpdate();
        }
    }

    /** A bulk job's row names its first recipient in address order: this one, if it comes before the one named. */
    static void offerMember(Connection connection, String bulk, String address, String title) throws SQLException {
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

    static void refreshSingle(Connection connection, String job) throws SQLException {
        update(connection, job, singleAttempts(connection, job));
    }

    static void refreshBulk(Connection connection, String job) throws SQLException {
        update(connection, job, bulkAttempts(connection, job));
    }

    static void update(Connection connection, String job, Attempts attempts) throws SQLException {
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

    static void forget(Connection connection, String job) throws SQLException {
        try (PreparedStatement keys = connection.prepareStatement("DELETE FROM jd_job_key WHERE job_id = ?");
             PreparedStatement words = connection.prepareStatement("DELETE FROM jd_job_word WHERE job_id = ?")) {
            keys.setString(1, job);
            keys.executeUpdate();
            words.setString(1, job);
            words.executeUpdate();
        }
    }

    static void noteWords(Connection connection, String job, String text) throws SQLException {
        insertWords(connection, job, words(text));
    }

    static void insertWords(Connection connection, String job, Set<String> words) throws SQLException {
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

}
