package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobRunrJobs;
import dev.jobdeck.core.jobs.jobrunr.JobRunrSchema;
import dev.jobdeck.core.jobs.jobrunr.JobStates;
import dev.jobdeck.core.jobs.jobrunr.StateCounters;
import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.DirectoryLock;
import dev.jobdeck.core.store.H2Snapshot;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocationRefusedException;
import dev.jobdeck.core.store.StoreLocations;
import dev.jobdeck.core.store.TableCopy;
import dev.jobdeck.core.store.TableCopy.Table;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code jobdeck store move} (issue 17, decision 38): copies the embedded H2 store, read-only, into an empty PostgreSQL
 * store, table by table in batches of PostgreSQL transactions, then checks that every table holds as many rows on both
 * sides. JobRunr's jobs (every state) and recurring jobs are copied as JobRunr wrote them, except that a job left
 * Processing by the stopped store goes over as Enqueued (its history: Processing, Failed because its host stopped,
 * Enqueued, as a console hands back a dead host's jobs), so it runs again. JobDeck's tables are copied as they are,
 * except the kept counts, which are rebuilt from the moved rows: the jobs per state recounted, the survival report's
 * open counts re-read by the ledger keeper from one mark that names nothing.
 */
public final class StoreMove {

    /** JobRunr's tables with rows worth moving; its servers and migrations are the target's own. */
    static final String RECURRING = JobRunrJobs.RECURRING_JOBS;
    static final String METADATA = JobRunrJobs.METADATA;
    static final String SERVERS = JobRunrJobs.SERVERS;
    /** The one metadata row that is the store's: how many succeeded jobs JobRunr has deleted since it began. */
    static final String SUCCEEDED_COUNTER = "id = 'succeeded-jobs-counter-cluster'";

    /** JobDeck's tables in copy order; leases, the send rate, the journal's marks and kept counts are not data. */
    static final List<Table> JOBDECK_TABLES = List.of(
            new Table("jd_setting", "name <> 'store.inUse'", false, row -> { }),
            Table.all("jd_template"),
            Table.all("jd_host"),
            Table.all("jd_incident"),
            Table.all("jd_incident_job"),
            Table.all("jd_email"),
            Table.all("jd_attachment"),
            Table.all("jd_delivery_attempt"),
            Table.all("jd_batch_key"),
            Table.all("jd_unqueued_batch"),
            Table.all("jd_ledger_total"),
            // The migrations wrote the wake signal's row; the store's own generation replaces it.
            new Table("jd_signal", null, true, row -> { }),
            Table.all("jd_job_key"),
            Table.all("jd_job_word"));

    /** What the history of a job moved while Processing says. */
    static final String REQUEUE_REASON = "Moved from the embedded H2 store to PostgreSQL while Processing (the store was"
            + " stopped); enqueued to run again";

    /** The rows of one table (or jobs of one state) on each side. */
    public record Count(String what, long source, long target) {
        public boolean equal() {
            return source == target;
        }
    }

    /** What a move did: the counts compared, and how many Processing jobs went over as Enqueued. */
    public record Result(List<Count> counts, long requeued) {
        public boolean verified() {
            return counts.stream().allMatch(Count::equal);
        }
    }

    private StoreMove() {
    }

    /**
     * The whole move of {@code directory}'s embedded store to {@code to}, as {@code jobdeck store move} runs it: takes
     * the directory's lock (a console, worker or script using it is a refusal), reads the H2 store read-only, copies,
     * compares, and only when every count agrees remembers {@code to} as the directory's store. Refusals are
     * {@link StoreLocationRefusedException}s (nothing written), a busy directory a {@link DataDirectoryLockedException},
     * a target that cannot be reached {@code Database.openShared}'s own sentence; a copy that breaks off says how to
     * start again.
     */
    public static Result run(DataDirectory directory, StoreLocation.Postgres to, String user, String password,
                             TableCopy.Progress progress) throws StoreException {
        if (StoreLocations.read(directory) instanceof StoreLocation.Postgres already) {
            throw new StoreLocationRefusedException("The data directory " + directory.path() + " already keeps its jobs"
                    + " in PostgreSQL " + already.display() + "; it has no embedded store to move.");
        }
        if (!java.nio.file.Files.isRegularFile(directory.databaseFile())) {
            throw new StoreLocationRefusedException("The data directory " + directory.path() + " has no embedded H2 store"
                    + " to move (" + directory.databaseFile() + " does not exist); pass the right --data-dir.");
        }
        try (DirectoryLock lock = lock(directory);
             H2Snapshot source = H2Snapshot.open(directory);
             Database target = Database.openShared(directory, to.jdbcUrl(), user, password, 2)) {
            Result result;
            try {
                // JobRunr's tables first (an empty store opened before by JobDeck has them already), to look into them.
                createJobRunrTables(target.dataSource());
                requireEmpty(target.dataSource());
            } catch (StoreException notEmpty) {
                throw new StoreLocationRefusedException("The PostgreSQL database " + to.display() + " is not an empty"
                        + " store: " + notEmpty.getMessage() + "; move into a new database (createdb).");
            } catch (SQLException | RuntimeException e) {
                throw new StoreException("Cannot read the PostgreSQL store " + to.display() + ": "
                        + firstLine(e.getMessage()), e);
            }
            try {
                result = move(source, target.dataSource(), progress);
            } catch (SQLException | RuntimeException e) {
                throw new StoreException("The move stopped (" + firstLine(e.getMessage()) + "). " + retryAdvice(to, user),
                        e);
            }
            if (result.verified()) {
                StoreLocations.rememberMoved(directory, to, java.time.Instant.now());
            }
            return result;
        }
    }

    /**
     * What to do after a move broke off: the H2 store is untouched and still the directory's; the target holds part
     * of it and must be emptied (the exact command) or replaced by a new database.
     */
    public static String retryAdvice(StoreLocation.Postgres to, String user) {
        return "The embedded H2 store is unchanged and still this directory's store; PostgreSQL " + to.display()
                + " holds part of it: empty it with psql \"host=" + to.host() + " port=" + to.port() + " dbname="
                + to.database() + " user=" + user + "\" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;'"
                + " (or createdb a new database), then run the move again.";
    }

    private static DirectoryLock lock(DataDirectory directory) throws StoreException {
        try {
            return DirectoryLock.acquire(directory, DirectoryLock.SCRIPT + " (store move)");
        } catch (DataDirectoryLockedException e) {
            String holder = DirectoryLock.holder(directory);
            if (holder.contains(DirectoryLock.CONSOLE)) {
                throw new DataDirectoryLockedException("A JobDeck console has the data directory " + directory.path()
                        + " open (" + holder + "); stop it (and its workers), then run the move again. Nothing was changed.");
            }
            throw new DataDirectoryLockedException("The data directory " + directory.path() + " is in use by another"
                    + " JobDeck process" + (holder.isEmpty() ? "" : " (" + holder + ")") + "; let it finish, then run"
                    + " the move again. Nothing was changed.");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * Creates JobRunr's tables in the target (JobDeck's were made when it was opened), refuses a target that holds
     * anything (a {@link StoreException} naming what; nothing written but the empty schema), copies, rebuilds the kept
     * counts and compares. {@code progress} hears each committed batch.
     */
    public static Result move(H2Snapshot source, DataSource target, TableCopy.Progress progress)
            throws SQLException, StoreException {
        createJobRunrTables(target);
        requireEmpty(target);
        Connection from = source.connection();
        AtomicLong requeued = new AtomicLong();
        List<Table> tables = new ArrayList<>();
        tables.add(jobs(requeued));
        tables.add(Table.all(RECURRING));
        tables.add(new Table(METADATA, SUCCEEDED_COUNTER, true, row -> { }));
        tables.addAll(JOBDECK_TABLES);
        for (Table table : tables) {
            TableCopy.copy(from, target, table, progress);
        }
        try (Connection to = target.getConnection()) {
            JobRunrSchema.migrate(to);
            StateCounters.recount(to);
            try (Statement statement = to.createStatement()) {
                // The copy's inserts marked every batch; one mark naming nothing says the same: read everything once.
                statement.executeUpdate("DELETE FROM jd_ledger_mark");
                statement.executeUpdate("DELETE FROM jd_ledger_open");
                statement.executeUpdate("INSERT INTO jd_ledger_mark (batch_id) VALUES (NULL)");
            }
        }
        List<Count> counts = new ArrayList<>();
        try (Connection to = target.getConnection()) {
            for (Table table : tables) {
                counts.add(new Count(table.name(), TableCopy.count(from, table), TableCopy.count(to, table)));
            }
            Map<JobState, Long> before = new EnumMap<>(StateCounters.scannedCounts(from));
            Long processing = before.remove(JobState.PROCESSING);
            if (processing != null) {
                before.merge(JobState.ENQUEUED, processing, Long::sum);
            }
            Map<JobState, Long> after = StateCounters.scannedCounts(to);
            Map<JobState, Long> counted = StateCounters.counts(to);
            for (JobState state : JobStates.ALL) {
                long want = before.getOrDefault(state, 0L);
                if (want > 0 || after.getOrDefault(state, 0L) > 0) {
                    counts.add(new Count("  jobs " + state.name(), want, after.getOrDefault(state, 0L)));
                }
                if (!counted.getOrDefault(state, 0L).equals(after.getOrDefault(state, 0L))) {
                    counts.add(new Count("  kept count " + state.name(), after.getOrDefault(state, 0L),
                            counted.getOrDefault(state, 0L)));
                }
            }
        }
        return new Result(counts, requeued.get());
    }

    /** JobRunr's own tables, made by JobRunr's own migrations, as a host on the store would make them. */
    private static void createJobRunrTables(DataSource target) {
        new PostgresStorageProvider(target, DatabaseOptions.CREATE).close();
    }

    /** Refuses a target with any row of JobRunr's or JobDeck's (beyond what an empty store's migrations write). */
    static void requireEmpty(DataSource target) throws SQLException, StoreException {
        List<String> held = new ArrayList<>();
        List<Table> tables = new ArrayList<>(List.of(Table.all(JobRunrJobs.JOBS), Table.all(RECURRING),
                Table.all(SERVERS), new Table(METADATA, SUCCEEDED_COUNTER + " AND value <> '0'", false, row -> { })));
        tables.addAll(JOBDECK_TABLES.stream().filter(table -> !table.replace()).toList());
        try (Connection connection = target.getConnection()) {
            for (Table table : tables) {
                long rows = TableCopy.count(connection, table);
                if (rows > 0) {
                    held.add(rows + " in " + table.name());
                }
            }
        }
        if (!held.isEmpty()) {
            throw new StoreException("it is not empty (rows: " + String.join(", ", held) + ")");
        }
    }

    /** JobRunr's jobs, a Processing one handed back to the queue as JobRunr itself would write it. */
    private static Table jobs(AtomicLong requeued) {
        JobMapper mapper = new JobMapper(new JacksonJsonMapper());
        return new Table(JobRunrJobs.JOBS, null, false, row -> {
            if (!StateName.PROCESSING.name().equals(row.get("state"))) {
                return;
            }
            Job job = mapper.deserializeJob((String) row.get("jobasjson"));
            job.failed(REQUEUE_REASON, new HostStoppedException(REQUEUE_REASON));
            job.enqueue();
            row.put("jobasjson", mapper.serializeJob(job));
            row.put("state", StateName.ENQUEUED.name());
            // JobRunr writes its instants as timestamps in the JVM's zone; the copy reads them back alike.
            row.put("updatedat", LocalDateTime.ofInstant(job.getUpdatedAt(), ZoneId.systemDefault()));
            requeued.incrementAndGet();
        });
    }
}
