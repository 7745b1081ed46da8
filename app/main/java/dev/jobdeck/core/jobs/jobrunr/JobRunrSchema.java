package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobState;

import dev.jobdeck.core.store.SqlDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import static dev.jobdeck.core.jobs.jobrunr.JobRunrJobs.JOBS;

/**
 * What JobDeck adds to JobRunr's tables, as the store's owner (decision 25): indexes that let the jobs table page and
 * sort by key ({@value #UPDATED_INDEX}, {@value #STATE_UPDATED_INDEX}, {@value #ID_STATE_INDEX}) and the triggers that
 * keep per-state counters and sort keys (decisions 25, 30), on H2 and on PostgreSQL.
 */
public final class JobRunrSchema {
    public static final String UPDATED_INDEX = "jd_jobs_updated_idx";
    public static final String STATE_UPDATED_INDEX = "jd_jobs_state_updated_idx";
    /**
     * A job's state by its id, from the index alone: the survival report and retention read the state of every open
     * e-mail's job, and through the primary key H2 reads each job's whole row, JSON included (a failed job carries its
     * stack traces), for one column.
     */
    public static final String ID_STATE_INDEX = "jd_jobs_id_state_idx";
    public static final String COUNT_TABLE = "jd_job_count";
    public static final String COUNT_CHANGE_TABLE = "jd_job_count_change";
    public static final String COUNT_TRIGGER = "jd_job_count_trigger";
    /** Unfolded counter changes beyond which a count folds them into the totals, keeping counts a few rows. */
    public static final int FOLD_AFTER = 2_000;

    // Schema: run by the store's owner once JobRunr has created its tables, before any host writes jobs.

    /**
     * Creates JobDeck's indexes and counters on JobRunr's table. Owner-only (decision 22: creating a trigger needs an
     * admin); the trigger then runs for every user's writes, the application user's too. The counters start from
     * one scan when the trigger is new; nothing else writes jobs then (the owner has not served the store yet).
     */
    public static void migrate(Connection connection) throws SQLException {
        if (onPostgres(connection)) {
            migratePostgres(connection);
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE INDEX IF NOT EXISTS " + UPDATED_INDEX + " ON " + JOBS + " (updatedAt, id)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + STATE_UPDATED_INDEX + " ON " + JOBS
                    + " (state, updatedAt, id)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + ID_STATE_INDEX + " ON " + JOBS + " (id, state)");
            // The counters' tables are the store's (its migrations, decision 34); their trigger is on JobRunr's table.
            boolean hasTrigger;
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS"
                    + " WHERE TRIGGER_SCHEMA = 'PUBLIC' AND TRIGGER_NAME = '" + COUNT_TRIGGER.toUpperCase(Locale.ROOT) + "'")) {
                rows.next();
                hasTrigger = rows.getLong(1) > 0;
            }
            if (!hasTrigger) {
                statement.execute("CREATE TRIGGER " + COUNT_TRIGGER + " AFTER INSERT, UPDATE, DELETE ON " + JOBS
                        + " FOR EACH ROW CALL '" + COUNT_TRIGGER_CLASS + "'");
                statement.execute("DELETE FROM " + COUNT_CHANGE_TABLE);
                statement.execute("DELETE FROM " + COUNT_TABLE);
                statement.execute("INSERT INTO " + COUNT_TABLE + " (state, jobs) SELECT state, COUNT(*) FROM " + JOBS
                        + " GROUP BY state");
            }
            if (!hasTrigger(statement, KEYS_TRIGGER)) {
                // Sort keys and words (decision 30): kept from now on by the triggers; those of the jobs already there
                // are owed, built by the owner in the background (JobKeysBuild), never during an open.
                String call = " FOR EACH ROW CALL '" + KEYS_TRIGGER_CLASS + "'";
                statement.execute("CREATE TRIGGER " + KEYS_TRIGGER + " AFTER INSERT, UPDATE, DELETE ON " + JOBS + call);
                statement.execute("CREATE TRIGGER IF NOT EXISTS jd_email_keys_trigger AFTER INSERT ON jd_email" + call);
                statement.execute("CREATE TRIGGER IF NOT EXISTS jd_attempt_keys_trigger AFTER INSERT, UPDATE"
                        + " ON jd_delivery_attempt" + call);
                if (JobKeysBuild.count(connection, JOBS) > 0) {
                    JobKeysBuild.owe(connection);
                }
            } else if (!JobKeysBuild.owed(connection)
                    && JobKeysBuild.count(connection, "jd_job_key") < JobKeysBuild.count(connection, JOBS)) {
                // Jobs without keys and no build owed: a build cut short by a version that built them during the
                // open, and never resumed. (Both counts are kept by H2: no scan.)
                JobKeysBuild.owe(connection);
            }
        }
    }

    /**
     * On PostgreSQL: the same indexes, the counters' trigger calling the store's PL/pgSQL function (its version 1), and
     * the sort keys' and words' triggers (version 3).
     * Any console or host may run it, on any machine, at the same time as another: a transaction-scoped advisory lock
     * makes them take turns, and the second finds the trigger there. The counters start from one scan when the trigger
     * is new, in the same transaction, so no job written meanwhile is counted twice or missed.
     */
    private static void migratePostgres(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            statement.execute("CREATE INDEX IF NOT EXISTS " + UPDATED_INDEX + " ON " + JOBS + " (updatedAt, id)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + STATE_UPDATED_INDEX + " ON " + JOBS
                    + " (state, updatedAt, id)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + ID_STATE_INDEX + " ON " + JOBS + " (id, state)");
            boolean hasTrigger;
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal"
                    + " AND tgname = '" + COUNT_TRIGGER + "'")) {
                rows.next();
                hasTrigger = rows.getLong(1) > 0;
            }
            if (!hasTrigger) {
                // Jobs written between the scan and the trigger would be missed: the table is locked for both.
                statement.execute("LOCK TABLE " + JOBS + " IN SHARE ROW EXCLUSIVE MODE");
                statement.execute("CREATE TRIGGER " + COUNT_TRIGGER + " AFTER INSERT OR UPDATE OR DELETE ON " + JOBS
                        + " FOR EACH ROW EXECUTE FUNCTION jd_job_count_note()");
                statement.execute("DELETE FROM " + COUNT_CHANGE_TABLE);
                statement.execute("DELETE FROM " + COUNT_TABLE);
                statement.execute("INSERT INTO " + COUNT_TABLE + " (state, jobs) SELECT state, COUNT(*) FROM " + JOBS
                        + " GROUP BY state");
            }
            if (!hasPostgresTrigger(statement, KEYS_TRIGGER)) {
                // Sort keys and words (decisions 30, 39): the store's PL/pgSQL functions (its version 3). A failure's
                // words only when a job turns failed, so JobRunr's other updates never call into PL/pgSQL. The jobs
                // already there get theirs now, with the table locked as for the counters (creating the triggers on
                // jd_email and jd_delivery_attempt locks those alike until the commit: no write is missed).
                statement.execute("LOCK TABLE " + JOBS + " IN SHARE ROW EXCLUSIVE MODE");
                statement.execute("CREATE TRIGGER " + KEYS_TRIGGER + " AFTER INSERT OR DELETE ON " + JOBS
                        + " FOR EACH ROW EXECUTE FUNCTION jd_job_keys_on_job()");
                statement.execute("CREATE TRIGGER " + FAILED_KEYS_TRIGGER + " AFTER UPDATE ON " + JOBS + " FOR EACH ROW"
                        + " WHEN (NEW.state = " + FAILED + " AND OLD.state IS DISTINCT FROM " + FAILED + ")"
                        + " EXECUTE FUNCTION jd_job_keys_on_job()");
                // On JobDeck's tables too, only now: the functions read JobRunr's table, which a store without it lacks.
                statement.execute("CREATE TRIGGER jd_email_keys_trigger AFTER INSERT ON jd_email"
                        + " FOR EACH ROW EXECUTE FUNCTION jd_job_keys_on_email()");
                statement.execute("CREATE TRIGGER jd_attempt_keys_trigger AFTER INSERT OR UPDATE ON jd_delivery_attempt"
                        + " FOR EACH ROW EXECUTE FUNCTION jd_job_keys_on_attempt()");
                statement.execute("SELECT jd_job_keys_write(id, CASE WHEN state = " + FAILED + " THEN jd_job_failure(jobAsJson)"
                        + " ELSE '' END) FROM " + JOBS + " WHERE id NOT IN (SELECT job_id FROM jd_job_key)");
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The key of the advisory lock under which PostgreSQL's objects on JobRunr's table are set up ("JDJOBS"). */
    private static final String FAILED = JobStates.literal(JobState.FAILED);

    private static final long MIGRATION_LOCK = 0x4a444a4f4253L;

    /** On PostgreSQL: the trigger that notes a failed job's words (the other, {@link #KEYS_TRIGGER}, its row). */
    public static final String FAILED_KEYS_TRIGGER = "jd_job_failed_keys_trigger";

    private static boolean hasPostgresTrigger(Statement statement, String name) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal"
                + " AND tgname = '" + name + "'")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    public static boolean onPostgres(Connection connection) throws SQLException {
        return SqlDialect.of(connection) == SqlDialect.POSTGRESQL;
    }

    public static final String KEYS_TRIGGER = "jd_job_keys_trigger";
    /**
     * The classes H2 calls, by the names every H2 store holds in its trigger definitions: subclasses of
     * {@link CountTrigger} and {@link KeysTrigger} kept at their first home, so stores made before the door moved here
     * open unchanged (decision 42).
     */
    public static final String COUNT_TRIGGER_CLASS = "dev.jobdeck.core.jobs.JobCountTrigger";
    public static final String KEYS_TRIGGER_CLASS = "dev.jobdeck.core.jobs.JobKeysTrigger";

    private static boolean hasTrigger(Statement statement, String name) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = 'PUBLIC' AND TRIGGER_NAME = '" + name.toUpperCase(Locale.ROOT) + "'")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }
}
