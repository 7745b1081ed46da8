package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobState;

import dev.jobdeck.core.store.SqlDialect;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one-time build of the sort keys and words (decision 30) of the jobs a store held before its triggers kept them:
 * owed by {@link JobRunrSchema#migrate} (a row {@value #SETTING} in {@code jd_setting}, the last job id done, empty at
 * first), paid by the store's owner (the console, {@code serve}) on a daemon thread after its open, a chunk of jobs per
 * transaction in job id order, the marker committed with each chunk: a build cut short (a kill, a close) resumes on the
 * next open where it stopped. The marker is removed once every job is done; until then {@link #progress} says how far
 * it got, and the Jobs table's shown-column orders and word search say they are being prepared.
 *
 * <p>A job that already has its key row (the trigger wrote it: a job inserted, or an attempt for it, since the open)
 * is skipped, and one whose row the trigger writes while its chunk is being built is left to the trigger: the build
 * inserts the row before reading what goes in it, so the one that comes second waits on the other (see {@link
 * KeysTrigger}). Words are only inserted where the job lacks them, so nothing is duplicated either way.
 */
public final class JobKeysBuild implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JobKeysBuild.class.getName());
    /** The setting that says a build is owed, and the last job id it has done (empty: none yet). */
    public static final String SETTING = "jobs.keys.builtThrough";
    /**
     * Jobs per transaction: a writer whose attempt's job the chunk claimed waits for its commit, well within H2's lock
     * timeout (2 s) at about 0.5 ms a job.
     */
    public static final int CHUNK = 500;
    private static final long RETRY_AFTER_MILLIS = 5_000;

    private final DataSource dataSource;
    private final int chunk;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    public JobKeysBuild(DataSource dataSource, int chunk) {
        this.dataSource = dataSource;
        this.chunk = chunk;
        this.thread = new Thread(this::run, "jobdeck-job-keys-build");
        thread.setDaemon(true);
    }

    /** Starts the build owed on this store on a daemon thread; closing it stops it between two jobs. */
    public static JobKeysBuild start(DataSource dataSource) {
        return start(dataSource, CHUNK);
    }

    /** Starts the build if one is owed on this store (see {@link #owed}); empty when none is. */
    public static Optional<JobKeysBuild> startIfOwed(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!owed(connection)) {
                return Optional.empty();
            }
        }
        return Optional.of(start(dataSource));
    }

    /** The same with {@code chunk} jobs per transaction (tests; {@code bench/keys-build.sh} compares sizes). */
    public static JobKeysBuild start(DataSource dataSource, int chunk) {
        JobKeysBuild build = new JobKeysBuild(dataSource, chunk);
        build.thread.start();
        return build;
    }

    /** Whether a build is owed: the store held jobs before its keys were kept, and not all have them yet. */
    public static boolean owed(Connection connection) throws SQLException {
        return marker(connection).isPresent();
    }

    /**
     * Empty when every job's keys and words are there; else how far the build got, in percent of the jobs (0 to 99),
     * from two counts H2 keeps (no scan).
     */
    public static Optional<Integer> progress(Connection connection) throws SQLException {
        if (!owed(connection)) {
            return Optional.empty();
        }
        long jobs = count(connection, JobRunrJobs.JOBS);
        long keyed = count(connection, "jd_job_key");
        return Optional.of(jobs == 0 ? 0 : (int) Math.min(99, keyed * 100 / jobs));
    }

    /** Notes that every job's keys are owed, from the first job id on. */
    public static void owe(Connection connection) throws SQLException {
        try (PreparedStatement merge = SqlDialect.prepare(connection, 
                "MERGE INTO jd_setting (name, setting_value) KEY (name) VALUES (?, '')")) {
            merge.setString(1, SETTING);
            merge.executeUpdate();
        }
    }

    public static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Optional<String> marker(Connection connection) throws SQLException {
        try (PreparedStatement query = SqlDialect.prepare(connection, "SELECT setting_value FROM jd_setting WHERE name = ?")) {
            query.setString(1, SETTING);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    private void run() {
        long started = System.nanoTime();
        boolean said = false;
        while (stop.getCount() > 0) {
            try (Connection connection = dataSource.getConnection()) {
                if (!said) {
                    said = true;
                    LOG.log(System.Logger.Level.INFO, "Building the sort keys and words of the jobs already in the store,"
                            + " in the background ({0} % done)", progress(connection).orElse(100));
                }
                connection.setAutoCommit(false);
                try {
                    while (stop.getCount() > 0) {
                        if (!buildChunk(connection)) {
                            if (stop.getCount() == 0) {
                                return;
                            }
                            LOG.log(System.Logger.Level.INFO, "Sort keys and words built in {0} s",
                                    (System.nanoTime() - started) / 1_000_000_000);
                            return;
                        }
                    }
                } finally {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot build the sort keys and words now; trying again in "
                        + RETRY_AFTER_MILLIS / 1000 + " s: " + e.getMessage());
                try {
                    stop.await(RETRY_AFTER_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Builds the next chunk after the marker and commits it with the marker moved on; false when nothing was owed or
     * left (the marker is then removed). Stops between two jobs once closed, the chunk rolled back.
     */
    public boolean buildChunk(Connection connection) throws SQLException {
        Optional<String> after = marker(connection);
        if (after.isEmpty()) {
            return false;
        }
        record Pending(String id, boolean failed, boolean keyed) {
        }
        List<Pending> jobs = new ArrayList<>();
        // (id, state) from the index alone: through the primary key H2 would read every job's JSON.
        try (PreparedStatement query = SqlDialect.prepare(connection, "SELECT j.id, j.state, k.job_id FROM "
                + JobRunrJobs.JOBS + " j USE INDEX (" + JobRunrSchema.ID_STATE_INDEX + ")"
                + " LEFT JOIN jd_job_key k ON k.job_id = j.id WHERE j.id > ? ORDER BY j.id FETCH FIRST " + chunk
                + " ROWS ONLY")) {
            query.setString(1, after.get());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    jobs.add(new Pending(rows.getString(1).trim(), JobState.FAILED.name().equals(rows.getString(2)),
                            rows.getString(3) != null));
                }
            }
        }
        if (jobs.isEmpty()) {
            try (PreparedStatement delete = SqlDialect.prepare(connection, "DELETE FROM jd_setting WHERE name = ?")) {
                delete.setString(1, SETTING);
                delete.executeUpdate();
            }
            connection.commit();
            return false;
        }
        try (PreparedStatement placeholder = SqlDialect.prepare(connection, "INSERT INTO jd_job_key (job_id) VALUES (?)");
             PreparedStatement json = SqlDialect.prepare(connection, "SELECT jobAsJson FROM " + JobRunrJobs.JOBS
                     + " WHERE id = ?");
             PreparedStatement marker = SqlDialect.prepare(connection, 
                     "UPDATE jd_setting SET setting_value = ? WHERE name = ?")) {
            for (Pending job : jobs) {
                if (stop.getCount() == 0) {
                    connection.rollback();
                    return false;
                }
                if (job.keyed() || !claim(placeholder, job.id())) {
                    continue;
                }
                String failure = "";
                if (job.failed()) {
                    json.setString(1, job.id());
                    try (ResultSet rows = json.executeQuery()) {
                        if (rows.next()) {
                            failure = KeyText.failureOf(rows.getString(1));
                        }
                    }
                }
                JobKeyRows.insertKeys(connection, job.id(), failure);
            }
            marker.setString(1, jobs.get(jobs.size() - 1).id());
            marker.setString(2, SETTING);
            marker.executeUpdate();
        }
        connection.commit();
        return true;
    }

    /**
     * Inserts the job's key row empty, before anything is read for it: false when the trigger wrote one meanwhile (it
     * is then complete). A trigger that comes second waits for this chunk's commit, then writes the row itself.
     */
    private static boolean claim(PreparedStatement placeholder, String job) throws SQLException {
        placeholder.setString(1, job);
        try {
            placeholder.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** Stops the build between two jobs (the chunk under way is rolled back, resumed on the next open). */
    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Whether the build has ended: done, stopped or never owed. */
    public boolean finished() {
        return !thread.isAlive();
    }
}
