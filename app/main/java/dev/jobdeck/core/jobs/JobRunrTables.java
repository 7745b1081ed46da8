package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.SqlDialect;

import dev.jobdeck.core.store.JobTable;
import org.jobrunr.jobs.states.StateName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one door to JobRunr's tables: every statement JobDeck runs against {@code jobrunr_jobs} (JobRunr's internals,
 * not its API) is written here, with state names taken from JobRunr's {@link StateName}. {@code JobRunrTablesContractTest}
 * pins the columns, indexes and states relied on against a store JobRunr itself migrated, so an upgrade that changes
 * them fails there, loudly, rather than in a query at a customer's.
 *
 * <p>Besides JobRunr's own schema JobDeck adds, as the store's owner (decision 25): two indexes that let the jobs
 * table page and sort by key ({@value #UPDATED_INDEX}, {@value #STATE_UPDATED_INDEX}), and per-state counters kept
 * by a trigger, so counts cost a few rows instead of a scan of every job.
 */
public final class JobRunrTables implements JobTable {

    /** JobRunr's jobs table and the columns JobDeck reads; the contract test checks each exists with this type. */
    public static final String JOBS = "jobrunr_jobs";
    /** JobRunr's other tables that {@code jobdeck store move} copies or looks into (decision 38). */
    static final String RECURRING_JOBS = "jobrunr_recurring_jobs";
    static final String METADATA = "jobrunr_metadata";
    static final String SERVERS = "jobrunr_backgroundjobservers";
    static final Map<String, String> COLUMNS_RELIED_ON = Map.of(
            "ID", "CHARACTER", "STATE", "CHARACTER VARYING", "CREATEDAT", "TIMESTAMP", "UPDATEDAT", "TIMESTAMP",
            "SCHEDULEDAT", "TIMESTAMP");
    /** Every state a job can be in under JobRunr 8; a state JobRunr adds must be looked at (counts, report). */
    static final List<StateName> KNOWN_STATES = List.of(StateName.AWAITING, StateName.SCHEDULED, StateName.ENQUEUED,
            StateName.PROCESSING, StateName.FAILED, StateName.SUCCEEDED, StateName.DELETED);
    /** States in which a job may still deliver its e-mail. */
    public static final List<StateName> PENDING = List.of(StateName.AWAITING, StateName.SCHEDULED, StateName.ENQUEUED,
            StateName.PROCESSING);

    static final String UPDATED_INDEX = "jd_jobs_updated_idx";
    static final String STATE_UPDATED_INDEX = "jd_jobs_state_updated_idx";
    /**
     * A job's state by its id, from the index alone: the survival report and retention read the state of every open
     * e-mail's job, and through the primary key H2 reads each job's whole row, JSON included (a failed job carries its
     * stack traces), for one column.
     */
    static final String ID_STATE_INDEX = "jd_jobs_id_state_idx";
    static final String COUNT_TABLE = "jd_job_count";
    static final String COUNT_CHANGE_TABLE = "jd_job_count_change";
    static final String COUNT_TRIGGER = "jd_job_count_trigger";
    /** Unfolded counter changes beyond which a count folds them into the totals, keeping counts a few rows. */
    static final int FOLD_AFTER = 2_000;
    /** A filtered count stops here: the pager says "more than" rather than counting a million matches. */
    public static final int COUNT_LIMIT = 10_000;

    private static final Pattern JOB_ID_PREFIX = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{0,12}){0,4}");

    @Override
    public String noJobWithId(String idExpression) {
        return "NOT EXISTS (SELECT 1 FROM " + JOBS + " j WHERE j.id = " + idExpression + ")";
    }

    @Override
    public String leftJoinJob(String alias, String idExpression) {
        return "LEFT JOIN " + JOBS + " " + alias + " USE INDEX (" + ID_STATE_INDEX + ") ON " + alias + ".id = " + idExpression;
    }

    /** {@code column IN ('A', 'B')} for the given states, their names from JobRunr's enum. */
    public static String stateIn(String column, List<StateName> states) {
        return column + " IN (" + states.stream().map(state -> "'" + state.name() + "'").collect(Collectors.joining(", "))
                + ")";
    }

    /** Retention (decision 26): ids of Deleted jobs last updated before the one parameter, oldest first. */
    static String deletedBefore(int limit) {
        return "SELECT id FROM " + JOBS + " WHERE state = " + literal(StateName.DELETED) + " AND updatedAt < ?"
                + " ORDER BY updatedAt FETCH FIRST " + limit + " ROWS ONLY";
    }

    /** Retention (decision 26): removes the job with the one parameter's id if it is still Deleted. */
    static String removeDeletedJob() {
        return "DELETE FROM " + JOBS + " WHERE id = ? AND state = " + literal(StateName.DELETED);
    }

    /** A state's name as a SQL literal. */
    public static String literal(StateName state) {
        return "'" + state.name() + "'";
    }

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
                        + " FOR EACH ROW CALL '" + JobCountTrigger.class.getName() + "'");
                statement.execute("DELETE FROM " + COUNT_CHANGE_TABLE);
                statement.execute("DELETE FROM " + COUNT_TABLE);
                statement.execute("INSERT INTO " + COUNT_TABLE + " (state, jobs) SELECT state, COUNT(*) FROM " + JOBS
                        + " GROUP BY state");
            }
            if (!hasTrigger(statement, KEYS_TRIGGER)) {
                // Sort keys and words (decision 30): kept from now on by the triggers; those of the jobs already there
                // are owed, built by the owner in the background (JobKeysBuild), never during an open.
                String call = " FOR EACH ROW CALL '" + JobKeysTrigger.class.getName() + "'";
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
                        + " WHEN (NEW.state = 'FAILED' AND OLD.state IS DISTINCT FROM 'FAILED')"
                        + " EXECUTE FUNCTION jd_job_keys_on_job()");
                // On JobDeck's tables too, only now: the functions read JobRunr's table, which a store without it lacks.
                statement.execute("CREATE TRIGGER jd_email_keys_trigger AFTER INSERT ON jd_email"
                        + " FOR EACH ROW EXECUTE FUNCTION jd_job_keys_on_email()");
                statement.execute("CREATE TRIGGER jd_attempt_keys_trigger AFTER INSERT OR UPDATE ON jd_delivery_attempt"
                        + " FOR EACH ROW EXECUTE FUNCTION jd_job_keys_on_attempt()");
                statement.execute("SELECT jd_job_keys_write(id, CASE WHEN state = 'FAILED' THEN jd_job_failure(jobAsJson)"
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
    private static final long MIGRATION_LOCK = 0x4a444a4f4253L;

    /** On PostgreSQL: the trigger that notes a failed job's words (the other, {@link #KEYS_TRIGGER}, its row). */
    static final String FAILED_KEYS_TRIGGER = "jd_job_failed_keys_trigger";

    private static boolean hasPostgresTrigger(Statement statement, String name) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal"
                + " AND tgname = '" + name + "'")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    private static boolean onPostgres(Connection connection) throws SQLException {
        return SqlDialect.of(connection) == SqlDialect.POSTGRESQL;
    }

    static final String KEYS_TRIGGER = "jd_job_keys_trigger";

    private static boolean hasTrigger(Statement statement, String name) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = 'PUBLIC' AND TRIGGER_NAME = '" + name.toUpperCase(Locale.ROOT) + "'")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    // Counts

    /** Jobs per state from the counters: the totals plus the changes not folded yet, in one statement. */
    public static Map<StateName, Long> counts(Connection connection) throws SQLException {
        Map<StateName, Long> counts = new EnumMap<>(StateName.class);
        long changes = 0;
        try (PreparedStatement query = connection.prepareStatement("SELECT state, SUM(jobs), SUM(changes) FROM"
                + " (SELECT state, jobs, 0 AS changes FROM " + COUNT_TABLE
                + " UNION ALL SELECT state, delta, 1 FROM " + COUNT_CHANGE_TABLE + ") c GROUP BY state");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(StateName.valueOf(rows.getString(1)), rows.getLong(2));
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
    static void fold(Connection connection) throws SQLException {
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
    static void recount(Connection connection) throws SQLException {
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
    static Map<StateName, Long> scannedCounts(Connection connection) throws SQLException {
        Map<StateName, Long> counts = new EnumMap<>(StateName.class);
        try (PreparedStatement query = connection.prepareStatement("SELECT state, COUNT(*) FROM " + JOBS + " GROUP BY state");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(StateName.valueOf(rows.getString(1)), rows.getLong(2));
            }
        }
        return counts;
    }

    // Pages

    /** A statement and its parameters, bound in order. */
    record Sql(String text, List<Object> parameters) {

        /** The statement on {@code connection}, its H2 index hints dropped on PostgreSQL ({@link SqlDialect#adapt}). */
        PreparedStatement prepare(Connection connection) throws SQLException {
            PreparedStatement statement = SqlDialect.prepare(connection, text);
            int index = 1;
            for (Object parameter : parameters) {
                statement.setObject(index++, parameter);
            }
            return statement;
        }
    }

    /**
     * Ids and sort keys of one page of jobs matching {@code filter}, in the page's order read in the direction of
     * travel (reversed when going backwards): one more than {@code limit}, to know whether another page follows.
     * Every shape is an index range read in index order, so the last page costs what the first does.
     */
    static Sql pageKeys(JobFilter filter, PageRequest request) {
        List<Object> parameters = new ArrayList<>();
        String select = "SELECT j.id, j.state, j.updatedAt FROM " + JOBS + " j";
        String where = where(filter, parameters);
        boolean descending = request.descending() != request.backwards();
        String direction = descending ? " DESC" : "";
        String compare = descending ? "<" : ">";
        Optional<PageKey> key = request.key();
        int fetch = request.limit() + 1;
        if (request.sort() == JobSort.STATE && filter.state().isEmpty()) {
            String order = " ORDER BY j.state" + direction + ", j.updatedAt" + direction + ", j.id" + direction;
            if (key.isEmpty()) {
                return new Sql(select + where + order + " FETCH FIRST " + fetch + " ROWS ONLY", parameters);
            }
            // The rest of the key's state, then each state after it: index ranges read in order, a page at most from
            // each. (Not "state < ?": read backwards, H2 starts that range at the key's state and skips all its rows.)
            List<Object> all = new ArrayList<>(parameters);
            all.add(key.get().state().name());
            all.add(Timestamp.from(key.get().updatedAt()));
            all.add(key.get().id().toString());
            List<String> branches = new ArrayList<>();
            branches.add("(" + select + and(where, "j.state = ? AND (j.updatedAt, j.id) " + compare + " (?, ?)")
                    + order + " FETCH FIRST " + fetch + " ROWS ONLY)");
            for (String later : statesAfter(key.get().state(), descending)) {
                all.addAll(parameters);
                all.add(later);
                branches.add("(" + select + and(where, "j.state = ?") + order + " FETCH FIRST " + fetch + " ROWS ONLY)");
            }
            String outerOrder = " ORDER BY state" + direction + ", updatedAt" + direction + ", id" + direction;
            return new Sql("SELECT id, state, updatedAt FROM (" + String.join(" UNION ALL ", branches) + ") k"
                    + outerOrder + " FETCH FIRST " + fetch + " ROWS ONLY", all);
        }
        // By last update; with a state filter the index is (state, updatedAt, id), so state leads the order too.
        String order = (filter.state().isPresent() ? " ORDER BY j.state" + direction + "," : " ORDER BY")
                + " j.updatedAt" + direction + ", j.id" + direction;
        if (key.isPresent()) {
            where = and(where, "(j.updatedAt, j.id) " + compare + " (?, ?)");
            parameters.add(Timestamp.from(key.get().updatedAt()));
            parameters.add(key.get().id().toString());
        }
        return new Sql(select + where + order + " FETCH FIRST " + fetch + " ROWS ONLY", parameters);
    }

    /** The names of JobRunr's states after {@code state} in name order (before it when descending). */
    private static List<String> statesAfter(StateName state, boolean descending) {
        return Arrays.stream(StateName.values()).map(Enum::name)
                .filter(name -> descending ? name.compareTo(state.name()) < 0 : name.compareTo(state.name()) > 0)
                .sorted(descending ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder())
                .toList();
    }

    /** How many jobs match, counting at most {@link #COUNT_LIMIT} + 1 (more reads as "more than"). */
    static Sql matchCount(JobFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        return new Sql("SELECT COUNT(*) FROM (SELECT 1 FROM " + JOBS + " j" + where + " FETCH FIRST "
                + (COUNT_LIMIT + 1) + " ROWS ONLY) m", parameters);
    }

    /** How many jobs match, exactly (a bulk action states it before it acts); without a search, an index range. */
    static Sql exactCount(JobFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        return new Sql("SELECT COUNT(*) FROM " + JOBS + " j" + where, parameters);
    }

    /**
     * The ids of at most {@code limit} jobs {@code filter} matches, in id order, after {@code after} (from the first
     * when empty): keyset paging for a bulk action. Ids, unlike update times, do not change when a job is acted on, so
     * a walk visits each job once however its state moves meanwhile. The walk follows the primary key (its index is
     * {@code primaryKeyIndex}, see {@link #primaryKeyIndex}): H2 would otherwise take the state index and sort every
     * matching job for each chunk (1-2 s a chunk at 100,000 failed jobs, against 20 ms); a search is checked job by
     * job through the e-mails' indexes ({@link #searchCondition}), so a whole walk reads the jobs once.
     */
    static Sql matchingIds(JobFilter filter, Optional<UUID> after, int limit, String primaryKeyIndex) {
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        if (after.isPresent()) {
            where = and(where, "j.id > ?");
            parameters.add(after.get().toString());
        }
        return new Sql("SELECT j.id FROM " + JOBS + " j" + (primaryKeyIndex == null ? "" : " USE INDEX ("
                + primaryKeyIndex + ")") + where
                + " ORDER BY j.id FETCH FIRST " + limit + " ROWS ONLY", parameters);
    }

    /**
     * The name H2 gave the index of JobRunr's primary key (PRIMARY_KEY_9), quoted for a {@code USE INDEX}; null on
     * PostgreSQL, which takes no hints.
     */
    static String primaryKeyIndex(Connection connection) throws SQLException {
        if (onPostgres(connection)) {
            return null;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES"
                + " WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = UPPER('" + JOBS + "') AND INDEX_TYPE_NAME = 'PRIMARY KEY'");
             ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("JobRunr's jobs table has no primary key");
            }
            return '"' + rows.getString(1).replace("\"", "\"\"") + '"';
        }
    }

    /** Whether a filter's count is one of the counters (no search, no time range): then it is exact and free. */
    static boolean countedByCounters(JobFilter filter) {
        return !filter.hasSearch() && filter.since().isEmpty() && filter.until().isEmpty();
    }

    /**
     * The conditions of {@code filter} on jobs aliased {@code j}, with their parameters appended. With
     * {@link #searchCondition} and {@link #candidates}, the one place a {@link JobFilter} becomes SQL.
     */
    static String where(JobFilter filter, List<Object> parameters) {
        List<String> conditions = new ArrayList<>();
        filter.state().ifPresent(state -> {
            conditions.add("j.state = ?");
            parameters.add(state.name());
        });
        filter.since().ifPresent(since -> {
            conditions.add("j.updatedAt >= ?");
            parameters.add(Timestamp.from(since));
        });
        filter.until().ifPresent(until -> {
            conditions.add("j.updatedAt < ?");
            parameters.add(Timestamp.from(until));
        });
        if (filter.hasSearch()) {
            conditions.add(searchCondition(filter, parameters));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /**
     * For a search that matches many jobs: a condition on each job that H2 checks as it reads the jobs' index in the
     * page's order, by index lookups of the job's e-mails (a page costs about its rows divided by the share of jobs
     * that match).
     */
    static String searchCondition(JobFilter filter, List<Object> parameters) {
        // Correlated EXISTS, not a join: with a join H2 may read all the matches and sort them (seconds at a million).
        String text = filter.search().toLowerCase(Locale.ROOT);
        List<String> columns = switch (SearchKind.of(filter.search())) {
            case JOB_ID -> List.of();
            case DOMAIN -> List.of("to_domain");
            case ADDRESS -> List.of("to_lc");
            case TEXT -> List.of("to_lc");
        };
        if (columns.isEmpty()) {
            parameters.add(text);
            parameters.add(text + "\uffff");
            return "j.id >= ? AND j.id < ?";
        }
        String prefix = SearchKind.of(filter.search()) == SearchKind.DOMAIN ? text.substring(1) : text;
        List<String> tests = new ArrayList<>();
        for (String column : columns) {
            for (String link : List.of("e.job_id = j.id", "e.bulk_job_id = j.id")) {
                tests.add("EXISTS (SELECT 1 FROM jd_email e WHERE " + link + " AND e." + column + " >= ? AND e." + column
                        + " < ?)");
                parameters.add(prefix);
                parameters.add(prefix + "\uffff");
            }
        }
        List<String> words = searchWords(filter);
        if (SearchKind.of(filter.search()) == SearchKind.TEXT && !words.isEmpty()) {
            // Every word starts a word of the job's (decision 30): lookups of the job's few words by its id.
            List<String> all = new ArrayList<>();
            for (String word : words) {
                all.add("EXISTS (SELECT 1 FROM jd_job_word w USE INDEX (jd_job_word_job_idx) WHERE w.job_id = j.id"
                        + " AND w.word >= ? AND w.word < ?)");
                parameters.add(word);
                parameters.add(word + "\uffff");
            }
            tests.add("(" + String.join(" AND ", all) + ")");
        }
        return "(" + String.join(" OR ", tests) + ")";
    }

    /** The search text's words as the word index keeps them (see {@link JobKeysTrigger#words}), longest first. */
    static List<String> searchWords(JobFilter filter) {
        return JobKeysTrigger.words(filter.search()).stream()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * The ids of the jobs the search text matches, at most {@link #COUNT_LIMIT} + 1, read from the e-mails' indexes
     * alone (or the jobs' primary key for a job id). When there are no more than {@link #COUNT_LIMIT}, the page is
     * picked from these; else {@link #pageKeys} reads it with {@link #searchCondition}. (A query that joins a few
     * thousand ids and orders them leads H2 to read every job in order instead, hence the two steps.)
     */
    static Sql candidates(JobFilter filter) {
        List<Object> parameters = new ArrayList<>();
        // UNION ALL: a UNION reads every match to drop duplicates before the FETCH stops it (seconds at a million).
        // Each branch has its own FETCH too: H2 does not stop a UNION ALL's branches at the outer one, so a domain
        // with 178,000 recipients of a million read every one of their rows twice (12 s) to keep 10,001 ids.
        String limit = " FETCH FIRST " + (COUNT_LIMIT + 1) + " ROWS ONLY";
        String ids = matchingJobIds(filter, parameters).stream().map(branch -> "(" + branch + limit + ")")
                .collect(Collectors.joining(" UNION ALL "));
        return new Sql("SELECT id FROM (" + ids + ") m" + limit, parameters);
    }

    /** The sort keys of {@code ids} (a few hundred at most) in {@code sort}'s order: primary key lookups. */
    static Sql keysOf(List<String> ids, JobSort sort) {
        String marks = ids.stream().map(id -> "?").collect(Collectors.joining(", "));
        String value = sort.keyColumn().map(column -> "k." + column).orElse("NULL");
        return new Sql("SELECT j.id, j.state, j.updatedAt, " + value + " FROM " + JOBS + " j"
                + (sort.keyColumn().isPresent() ? " LEFT JOIN jd_job_key k ON k.job_id = j.id" : "")
                + " WHERE j.id IN (" + marks + ")", List.copyOf(ids));
    }

    /**
     * The ids of the jobs in the filter's state and time range (no search), at most {@link #COUNT_LIMIT} + 1: an index
     * range of JobRunr's table. When there are no more, an order by a shown column is picked among them.
     */
    static Sql filteredIds(JobFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        return new Sql("SELECT j.id FROM " + JOBS + " j" + where + " FETCH FIRST " + (COUNT_LIMIT + 1) + " ROWS ONLY",
                parameters);
    }

    /**
     * Ids and keys of one page in the order of a shown column (decision 30): the range of {@code jd_job_key}'s index
     * on that column after the key, in index order, like {@link #pageKeys}. A state, time range or search is checked
     * job by job through JobRunr's table ({@value #ID_STATE_INDEX} when only the state is needed) and the e-mails'
     * and words' indexes, so a page costs about its rows divided by the share of jobs that match.
     */
    static Sql keyedPageKeys(JobFilter filter, PageRequest request) {
        return keyedPageKeys(filter, request, SqlDialect.H2);
    }

    /**
     * {@link #keyedPageKeys(JobFilter, PageRequest)} for {@code dialect}: on PostgreSQL the keys after the tie are an
     * exclusive range (its text cannot hold the NUL of H2's nearest key beyond, and its planner needs no such help).
     */
    static Sql keyedPageKeys(JobFilter filter, PageRequest request, SqlDialect dialect) {
        String column = "k." + request.sort().keyColumn().orElseThrow();
        boolean descending = request.descending() != request.backwards();
        String direction = descending ? " DESC" : "";
        String compare = descending ? "<" : ">";
        List<Object> filterParameters = new ArrayList<>();
        String jobs = where(filter, filterParameters);
        String matches = "";
        if (!jobs.isEmpty()) {
            boolean byState = filter.since().isEmpty() && filter.until().isEmpty();
            matches = "EXISTS (SELECT 1 FROM " + JOBS + " j" + (byState ? " USE INDEX (" + ID_STATE_INDEX + ")" : "")
                    + jobs + " AND j.id = k.job_id)";
        }
        String select = "SELECT k.job_id, " + column + " AS sort_key FROM jd_job_key k";
        String order = " ORDER BY " + column + direction + ", k.job_id" + direction
                + " FETCH FIRST " + (request.limit() + 1) + " ROWS ONLY";
        if (request.key().isEmpty()) {
            return new Sql(select + (matches.isEmpty() ? "" : " WHERE " + matches) + order, filterParameters);
        }
        // The rest of the key's tie, then the keys after it: two index ranges read in order. (A row value "(key, id) <
        // (?, ?)" leads H2 to a range on the key alone, reading every tie before it: all the jobs tried once.)
        PageKey key = request.key().get();
        Object value = key.value() == null ? (request.sort().numeric() ? (Object) 0 : "") : key.value();
        List<Object> parameters = new ArrayList<>();
        parameters.add(value);
        parameters.add(key.id().toString());
        parameters.addAll(filterParameters);
        String and = matches.isEmpty() ? "" : " AND " + matches;
        Optional<Object> beyond = beyond(value, descending);
        String rest;
        if (dialect == SqlDialect.POSTGRESQL) {
            rest = column + (descending ? " < ?" : " > ?");
            parameters.add(value);
            parameters.addAll(filterParameters);
        } else if (beyond.isEmpty()) {
            rest = "FALSE";
        } else {
            // Inclusive of the nearest key beyond this one: an exclusive bound leads H2 to skip the key's ties one by one.
            rest = column + (descending ? " <= ?" : " >= ?");
            parameters.add(beyond.get());
            parameters.addAll(filterParameters);
        }
        return new Sql("SELECT job_id, sort_key FROM ((" + select + " WHERE " + column + " = ? AND k.job_id " + compare
                + " ?" + and + order + ") UNION ALL (" + select + " WHERE " + rest + and + order
                + ")) p ORDER BY sort_key" + direction + ", job_id" + direction + " FETCH FIRST " + (request.limit() + 1)
                + " ROWS ONLY", parameters);
    }

    /**
     * The nearest possible key after {@code value} (before it when {@code descending}): every key beyond {@code value}
     * is at or beyond it, and none lies between. Empty when nothing comes before (descending from "").
     */
    static Optional<Object> beyond(Object value, boolean descending) {
        if (value instanceof Integer number) {
            return Optional.of(descending ? number - 1 : number + 1);
        }
        String text = (String) value;
        if (!descending) {
            return Optional.of(text + "\u0000");
        }
        if (text.isEmpty()) {
            return Optional.empty();
        }
        char last = text.charAt(text.length() - 1);
        String stem = text.substring(0, text.length() - 1);
        // Below "abc": "abb" followed by the highest characters, longer than any key (keys are at most 320).
        return Optional.of(last == 0 ? stem : stem + (char) (last - 1) + "\uffff".repeat(KEY_LENGTH + 1));
    }

    /** The longest key {@code jd_job_key} holds (its recipient column). */
    private static final int KEY_LENGTH = 320;

    /**
     * The search text as queries for job ids (column {@code id}), to be joined by a union. Its kind (see {@link
     * SearchKind}) decides which index range it reads: a job id prefix on the primary key, an address prefix on {@code
     * jd_email.to_lc}, a domain on {@code jd_email.to_domain}, words on {@code jd_job_word}. An e-mail finds its own job
     * and the bulk job it is part of.
     */
    private static List<String> matchingJobIds(JobFilter filter, List<Object> parameters) {
        String text = filter.search().toLowerCase(Locale.ROOT);
        switch (SearchKind.of(filter.search())) {
            case JOB_ID -> {
                parameters.add(text);
                parameters.add(text + "\uffff");
                return List.of("SELECT k.id FROM " + JOBS + " k WHERE k.id >= ? AND k.id < ?");
            }
            case DOMAIN -> {
                String domain = text.substring(1);
                addRange(parameters, domain, 2);
                return emailsToJobs("e.to_domain >= ? AND e.to_domain < ?");
            }
            case ADDRESS -> {
                addRange(parameters, text, 2);
                return emailsToJobs("e.to_lc >= ? AND e.to_lc < ?");
            }
            case TEXT -> {
                addRange(parameters, text, 2);
                List<String> addresses = emailsToJobs("e.to_lc >= ? AND e.to_lc < ?");
                List<String> words = searchWords(filter);
                if (words.isEmpty()) {
                    return addresses;
                }
                // The jobs with a word starting with the longest word, each checked for the others by its own words.
                StringBuilder byWords = new StringBuilder("SELECT w.job_id FROM jd_job_word w WHERE w.word >= ? AND w.word < ?");
                parameters.add(words.get(0));
                parameters.add(words.get(0) + "\uffff");
                for (String word : words.subList(1, words.size())) {
                    byWords.append(" AND EXISTS (SELECT 1 FROM jd_job_word x USE INDEX (jd_job_word_job_idx)"
                            + " WHERE x.job_id = w.job_id AND x.word >= ? AND x.word < ?)");
                    parameters.add(word);
                    parameters.add(word + "\uffff");
                }
                List<String> branches = new ArrayList<>(addresses);
                branches.add(byWords.toString());
                return branches;
            }
            default -> throw new IllegalStateException("unknown search kind");
        }
    }

    private static void addRange(List<Object> parameters, String prefix, int times) {
        for (int i = 0; i < times; i++) {
            parameters.add(prefix);
            parameters.add(prefix + "\uffff");
        }
    }

    /**
     * The jobs of the e-mails matching {@code condition} (two parameters), as the queries of a union: their own, and
     * the bulk job they are in.
     */
    private static List<String> emailsToJobs(String condition) {
        return List.of("SELECT e.job_id AS id FROM jd_email e WHERE " + condition,
                "SELECT e.bulk_job_id FROM jd_email e WHERE " + condition + " AND e.bulk_job_id IS NOT NULL");
    }

    private static String and(String where, String condition) {
        return where.isEmpty() ? " WHERE " + condition : where + " AND " + condition;
    }

    /** What a search box's text is taken to be. */
    public enum SearchKind {
        /** Eight or more hex digits, with dashes where a UUID has them: a job id or its start. */
        JOB_ID,
        /** Starts with {@code @}: recipients at that domain (or a domain starting so). */
        DOMAIN,
        /** Contains {@code @}: an address, or its start. */
        ADDRESS,
        /**
         * Anything else: the start of an address, or words: each one starts a word of the subject, of an error reply
         * the job got, or of its failure message (decision 30).
         */
        TEXT;

        public static SearchKind of(String search) {
            String text = search.strip().toLowerCase(Locale.ROOT);
            if (text.startsWith("@")) {
                return DOMAIN;
            }
            if (text.contains("@")) {
                return ADDRESS;
            }
            return JOB_ID_PREFIX.matcher(text).matches() && text.length() <= 36 ? JOB_ID : TEXT;
        }
    }

    /**
     * The jobs table's rows for {@code ids}: each job joined with its e-mail (or, for a bulk job, its first recipient
     * and how many more) and its latest delivery attempt. Costs the rows asked for, whatever the store holds.
     */
    static Sql rowsOf(List<UUID> ids) {
        String marks = ids.stream().map(id -> "?").collect(Collectors.joining(", "));
        return new Sql(ROWS_SQL + " WHERE j.id IN (" + marks + ")",
                ids.stream().map(id -> (Object) id.toString()).toList());
    }

    // A bulk job has no e-mail of its own (e.id is null): its row shows its first recipient and how many more, the
    // most tries any of its recipients took (not their sum, which would read as 50 tries for 50 recipients), and the
    // host and last reply of the latest attempt at any of them. Each is the first entry of an index for the bulk job
    // (attempts name their bulk job, see BulkAttempts), but the count, which reads at most delivery.batchSize entries.
    // (The index's leading column leads the order too: without it H2 reads the whole range, then sorts.)
    private static final String FIRST_MEMBER = "FROM jd_email m WHERE m.bulk_job_id = j.id"
            + " ORDER BY m.bulk_job_id, m.to_addr LIMIT 1";
    private static final String LATEST_BULK_ATTEMPT = "FROM jd_delivery_attempt a WHERE a.bulk_job_id = j.id"
            + " ORDER BY a.bulk_job_id DESC, a.started_at DESC LIMIT 1";
    private static final String ROWS_SQL = """
            SELECT j.id, j.state, j.createdAt, j.updatedAt, j.scheduledAt,
                   CASE WHEN e.id IS NOT NULL THEN e.to_addr ELSE
                     (SELECT m.to_addr %1$s) || ' (+' || ((SELECT COUNT(*) FROM jd_email m WHERE m.bulk_job_id = j.id) - 1) || ')'
                   END AS to_addr,
                   CASE WHEN e.id IS NOT NULL THEN e.subject ELSE (SELECT s.subject FROM jd_email s
                     WHERE s.bulk_job_id = j.id AND s.to_addr = (SELECT m.to_addr %1$s) LIMIT 1) END AS subject,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT COUNT(*) FROM jd_delivery_attempt a WHERE a.job_id = j.id AND a.outcome <> 'SKIPPED_ALREADY_SENT')
                   ELSE COALESCE((SELECT a.attempt FROM jd_delivery_attempt a WHERE a.bulk_job_id = j.id
                         AND a.outcome <> 'SKIPPED_ALREADY_SENT' ORDER BY a.bulk_job_id DESC, a.attempt DESC LIMIT 1), 0)
                   END AS attempts,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT a.host FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1)
                   ELSE (SELECT a.host %2$s) END AS host,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT a.smtp_reply FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1)
                   ELSE (SELECT a.smtp_reply %2$s) END AS reply,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT a.smtp_code FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1)
                   ELSE (SELECT a.smtp_code %2$s) END AS code,
                   CASE WHEN e.id IS NOT NULL THEN
                     (SELECT a.outcome FROM jd_delivery_attempt a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1)
                   ELSE (SELECT a.outcome %2$s) END AS outcome
            FROM jobrunr_jobs j LEFT JOIN jd_email e ON e.job_id = j.id
            """.formatted(FIRST_MEMBER, LATEST_BULK_ATTEMPT);

    /**
     * Each recipient a job delivers, with its own job's state when it has one. Two index lookups in a union: H2 reads
     * a condition {@code job_id = ? OR bulk_job_id = ?} by scanning every e-mail.
     */
    static final String RECIPIENTS_SQL = """
            SELECT e.id, e.to_addr, e.job_id, j.state AS own_state,
                   EXISTS (SELECT 1 FROM jd_delivery_attempt a WHERE a.email_id = e.id AND a.outcome = 'SENT') AS sent,
                   (SELECT COUNT(*) FROM jd_delivery_attempt a WHERE a.email_id = e.id
                      AND a.outcome <> 'SKIPPED_ALREADY_SENT') AS attempts,
                   (SELECT a.outcome FROM jd_delivery_attempt a WHERE a.email_id = e.id
                      ORDER BY a.started_at DESC, a.attempt DESC LIMIT 1) AS last_outcome,
                   (SELECT a.smtp_reply FROM jd_delivery_attempt a WHERE a.email_id = e.id
                      ORDER BY a.started_at DESC, a.attempt DESC LIMIT 1) AS last_reply
            FROM (SELECT * FROM jd_email WHERE job_id = ? UNION SELECT * FROM jd_email WHERE bulk_job_id = ?) e
            LEFT JOIN jobrunr_jobs j ON j.id = e.job_id
            ORDER BY e.to_addr, e.id
            """;

    static List<String> knownStateNames() {
        return Arrays.stream(StateName.values()).map(Enum::name).toList();
    }
}
