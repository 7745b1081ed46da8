package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;

import static dev.jobdeck.core.jobs.jobrunr.JobRunrJobs.JOBS;
import static dev.jobdeck.core.jobs.jobrunr.JobRunrSchema.COUNT_CHANGE_TABLE;
import static dev.jobdeck.core.jobs.jobrunr.JobRunrSchema.COUNT_TABLE;
import static dev.jobdeck.core.jobs.jobrunr.JobRunrSchema.FOLD_AFTER;
import static dev.jobdeck.core.jobs.jobrunr.JobRunrSchema.onPostgres;

/**
 * Jobs per state from the counters the triggers keep (decision 25), so counts cost a few rows instead of a scan of
 * every job.
 */
public final class StateCounters {
    /** Jobs per state from the counters: the totals plus the changes not folded yet, in one statement. */
    public static Map<JobState, Long> counts(Connection connection) throws SQLException {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        long changes = 0;
        try (PreparedStatement query = connection.prepareStatement("SELECT state, SUM(jobs), SUM(changes) FROM"
                + " (SELECT state, jobs, 0 AS changes FROM " + COUNT_TABLE
                + " UNION ALL SELECT state, delta, 1 FROM " + COUNT_CHANGE_TABLE + ") c GROUP BY state");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(JobState.valueOf(rows.getString(1)), rows.getLong(2));
                changes += rows.getLong(3);
            }
        }
        if (changes > FOLD_AFTER) {
            fold(connection);
        }
        return counts;
    }

    /**
     * Adds the changes noted so far to the totals and removes them, in one transaction. Whoever folds first locks the
     * totals; a second folder waits, then sees the first one's changes gone.
     */
    public static void fold(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT state FROM " + COUNT_TABLE + " FOR UPDATE").close();
            long upTo;
            try (ResultSet rows = statement.executeQuery("SELECT MAX(id) FROM " + COUNT_CHANGE_TABLE)) {
                rows.next();
                upTo = rows.getLong(1);
            }
            statement.executeUpdate("MERGE INTO " + COUNT_TABLE + " t USING (SELECT state, SUM(delta) AS delta FROM "
                    + COUNT_CHANGE_TABLE + " WHERE id <= " + upTo + " GROUP BY state) c ON t.state = c.state"
                    + " WHEN MATCHED THEN UPDATE SET jobs = t.jobs + c.delta"
                    + " WHEN NOT MATCHED THEN INSERT (state, jobs) VALUES (c.state, c.delta)");
            statement.executeUpdate("DELETE FROM " + COUNT_CHANGE_TABLE + " WHERE id <= " + upTo);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Sets the counters to one scan of the jobs ({@code jobdeck store move}: rebuilt from the moved jobs, not copied),
     * in one transaction that keeps writers of jobs out meanwhile on PostgreSQL.
     */
    public static void recount(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (onPostgres(connection)) {
                statement.execute("LOCK TABLE " + JOBS + " IN SHARE ROW EXCLUSIVE MODE");
            }
            statement.execute("DELETE FROM " + COUNT_CHANGE_TABLE);
            statement.execute("DELETE FROM " + COUNT_TABLE);
            statement.execute("INSERT INTO " + COUNT_TABLE + " (state, jobs) SELECT state, COUNT(*) FROM " + JOBS
                    + " GROUP BY state");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Jobs per state by scanning: what the counters must always equal (tests, and the bench's baseline). */
    public static Map<JobState, Long> scannedCounts(Connection connection) throws SQLException {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        try (PreparedStatement query = connection.prepareStatement("SELECT state, COUNT(*) FROM " + JOBS + " GROUP BY state");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(JobState.valueOf(rows.getString(1)), rows.getLong(2));
            }
        }
        return counts;
    }
}
