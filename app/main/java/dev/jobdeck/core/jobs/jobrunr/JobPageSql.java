package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.jobs.query.PageKey;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.store.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.jobdeck.core.jobs.query.JobSearch.COUNT_LIMIT;
import static dev.jobdeck.core.jobs.jobrunr.JobRunrJobs.JOBS;
import static dev.jobdeck.core.jobs.jobrunr.JobRunrSchema.ID_STATE_INDEX;
import static dev.jobdeck.core.jobs.jobrunr.JobRunrSchema.onPostgres;
import static dev.jobdeck.core.jobs.jobrunr.JobSearchSql.and;
import static dev.jobdeck.core.jobs.jobrunr.JobSearchSql.where;

/**
 * The statements that read one page of JobRunr's jobs (decisions 25, 29, 30): its ids and sort keys in index order, its
 * counts, and its rows joined with JobDeck's outbox and ledger.
 */
public final class JobPageSql {
    /** A statement and its parameters, bound in order. */
    public record Sql(String text, List<Object> parameters) {

        /** The statement on {@code connection}, its H2 index hints dropped on PostgreSQL ({@link SqlDialect#adapt}). */
        public PreparedStatement prepare(Connection connection) throws SQLException {
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
    public static Sql pageKeys(JobFilter filter, PageRequest request) {
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
    private static List<String> statesAfter(JobState state, boolean descending) {
        return Arrays.stream(JobState.values()).map(Enum::name)
                .filter(name -> descending ? name.compareTo(state.name()) < 0 : name.compareTo(state.name()) > 0)
                .sorted(descending ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder())
                .toList();
    }

    /** How many jobs match, counting at most {@link #COUNT_LIMIT} + 1 (more reads as "more than"). */
    public static Sql matchCount(JobFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        return new Sql("SELECT COUNT(*) FROM (SELECT 1 FROM " + JOBS + " j" + where + " FETCH FIRST "
                + (COUNT_LIMIT + 1) + " ROWS ONLY) m", parameters);
    }

    /** How many jobs match, exactly (a bulk action states it before it acts); without a search, an index range. */
    public static Sql exactCount(JobFilter filter) {
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
    public static Sql matchingIds(JobFilter filter, Optional<UUID> after, int limit, String primaryKeyIndex) {
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
    public static String primaryKeyIndex(Connection connection) throws SQLException {
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
    public static boolean countedByCounters(JobFilter filter) {
        return !filter.hasSearch() && filter.since().isEmpty() && filter.until().isEmpty();
    }

    /** The sort keys of {@code ids} (a few hundred at most) in {@code sort}'s order: primary key lookups. */
    public static Sql keysOf(List<String> ids, JobSort sort) {
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
    public static Sql filteredIds(JobFilter filter) {
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
    public static Sql keyedPageKeys(JobFilter filter, PageRequest request) {
        return keyedPageKeys(filter, request, SqlDialect.H2);
    }

    /**
     * {@link #keyedPageKeys(JobFilter, PageRequest)} for {@code dialect}: on PostgreSQL the keys after the tie are an
     * exclusive range (its text cannot hold the NUL of H2's nearest key beyond, and its planner needs no such help).
     */
    public static Sql keyedPageKeys(JobFilter filter, PageRequest request, SqlDialect dialect) {
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
    public static Optional<Object> beyond(Object value, boolean descending) {
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
     * The jobs table's rows for {@code ids}: each job joined with its e-mail (or, for a bulk job, its first recipient
     * and how many more) and its latest delivery attempt. Costs the rows asked for, whatever the store holds.
     */
    public static Sql rowsOf(List<UUID> ids) {
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
    public static final String RECIPIENTS_SQL = """
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
}
