package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.store.JobTable;
import org.jobrunr.jobs.states.StateName;

import java.util.List;
import java.util.Map;

import static dev.jobdeck.core.jobs.jobrunr.JobRunrSchema.ID_STATE_INDEX;

/**
 * The one door to JobRunr's tables (decision 42): every statement JobDeck runs against {@code jobrunr_jobs} and
 * JobRunr's other tables (its internals, not its API) is written in this package, with state names taken from
 * JobRunr's {@link StateName}. This class holds the tables' names, the columns and states relied on, and the fragments
 * others join with: the store's recovery queries ({@link JobTable}) and retention's. {@code JobRunrContract} pins them
 * against a store JobRunr itself migrated, on H2 and PostgreSQL, so an upgrade that changes them fails there, loudly,
 * rather than in a query at a customer's.
 *
 * <p>Besides JobRunr's own schema JobDeck adds, as the store's owner (decision 25), indexes and counters kept by
 * triggers ({@link JobRunrSchema}, {@link StateCounters}); pages and searches are {@link JobPageSql} and
 * {@link JobSearchSql}.
 */
public final class JobRunrJobs implements JobTable {
    /** JobRunr's jobs table and the columns JobDeck reads; the contract test checks each exists with this type. */
    public static final String JOBS = "jobrunr_jobs";
    /** JobRunr's other tables that {@code jobdeck store move} copies or looks into (decision 38). */
    public static final String RECURRING_JOBS = "jobrunr_recurring_jobs";
    public static final String METADATA = "jobrunr_metadata";
    public static final String SERVERS = "jobrunr_backgroundjobservers";
    /**
     * The columns of {@value #JOBS} JobDeck reads or writes, with their types as each database's INFORMATION_SCHEMA
     * names them (upper-cased): the contract test checks each exists with this type. {@code jobAsJson} is read by the
     * key triggers and the keys' build (a failed job's message) and by the PostgreSQL key functions (store migration 3);
     * {@code recurringJobId} (indexed by JobRunr) by the delete of a recurring job ({@link #waitingRunsOf()}).
     */
    public static final Map<String, String> COLUMNS_ON_H2 = Map.of(
            "ID", "CHARACTER", "STATE", "CHARACTER VARYING", "CREATEDAT", "TIMESTAMP", "UPDATEDAT", "TIMESTAMP",
            "SCHEDULEDAT", "TIMESTAMP", "JOBASJSON", "CHARACTER VARYING", "RECURRINGJOBID", "CHARACTER VARYING");
    public static final Map<String, String> COLUMNS_ON_POSTGRESQL = Map.of(
            "ID", "CHARACTER", "STATE", "CHARACTER VARYING", "CREATEDAT", "TIMESTAMP WITHOUT TIME ZONE",
            "UPDATEDAT", "TIMESTAMP WITHOUT TIME ZONE", "SCHEDULEDAT", "TIMESTAMP WITHOUT TIME ZONE", "JOBASJSON", "TEXT",
            "RECURRINGJOBID", "CHARACTER VARYING");
    /**
     * The JobRunr this door was written for and checked against (its tables, indexes, states and the protected methods
     * {@link DrainableServer} and {@link IndexOrderedH2StorageProvider} override): another version fails the contract
     * test until someone has looked at what changed.
     */
    public static final String WRITTEN_FOR = "8.7.0";
    /** The last of JobRunr's own migrations in a store made by {@link #WRITTEN_FOR}. */
    public static final String LAST_MIGRATION = "v016__";

    @Override
    public String noJobWithId(String idExpression) {
        return "NOT EXISTS (SELECT 1 FROM " + JOBS + " j WHERE j.id = " + idExpression + ")";
    }

    @Override
    public String leftJoinJob(String alias, String idExpression) {
        return "LEFT JOIN " + JOBS + " " + alias + " USE INDEX (" + ID_STATE_INDEX + ") ON " + alias + ".id = " + idExpression;
    }

    @Override
    public String waitingRunsOf() {
        return "SELECT id FROM " + JOBS + " WHERE recurringJobId = ? AND " + JobStates.in("state",
                List.of(JobState.SCHEDULED, JobState.ENQUEUED, JobState.AWAITING));
    }

    /** Retention (decision 26): ids of Deleted jobs last updated before the one parameter, oldest first. */
    public static String deletedBefore(int limit) {
        return "SELECT id FROM " + JOBS + " WHERE state = " + JobStates.literal(JobState.DELETED) + " AND updatedAt < ?"
                + " ORDER BY updatedAt FETCH FIRST " + limit + " ROWS ONLY";
    }

    /** Retention (decision 26): removes the job with the one parameter's id if it is still Deleted. */
    public static String removeDeletedJob() {
        return "DELETE FROM " + JOBS + " WHERE id = ? AND state = " + JobStates.literal(JobState.DELETED);
    }
}
