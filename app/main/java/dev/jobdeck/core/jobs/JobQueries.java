package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobKeysBuild;
import dev.jobdeck.core.jobs.jobrunr.JobPageSql;
import dev.jobdeck.core.jobs.jobrunr.JobRunrJobs;
import dev.jobdeck.core.jobs.jobrunr.JobSearchSql;
import dev.jobdeck.core.jobs.jobrunr.StateCounters;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.JobSearch;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.jobs.query.PageKey;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.store.SqlDialect;

import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;
import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.storage.StorageProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Read models for the dashboard and the CLI. The jobs table is read a page at a time by key over JobRunr's jobs
 * joined with JobDeck's outbox and ledger (the statements live in {@link JobRunrJobs}): JobRunr's own API cannot
 * join, and loading jobs to filter them in memory would not scale to a million rows.
 */
public final class JobQueries {

    private final DataSource dataSource;
    private final StorageProvider storage;
    private final Outbox outbox;
    private final DeliveryLedger ledger;
    /** H2's name for the index of JobRunr's primary key, read once. */
    private volatile String jobsPrimaryKey;
    private final JobDetailQueries details;

    public JobQueries(DataSource dataSource, StorageProvider storage, Outbox outbox, DeliveryLedger ledger) {
        this.details = new JobDetailQueries(dataSource, storage, outbox, ledger);
        this.dataSource = dataSource;
        this.storage = storage;
        this.outbox = outbox;
        this.ledger = ledger;
    }

    /** Jobs per state, from the counters JobDeck keeps on JobRunr's table (decision 25): a few rows, not a scan. */
    public JobCounts counts() throws SQLException {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobCounts.SHOWN) {
            counts.put(state, 0L);
        }
        try (Connection connection = dataSource.getConnection()) {
            counts.putAll(StateCounters.counts(connection));
        }
        return new JobCounts(counts);
    }

    /**
     * One page of the jobs matching {@code filter}, read by key (see {@link PageRequest}), and how many match: from the
     * counters when only a state is chosen, else counted up to {@link JobSearch#COUNT_LIMIT}. A recipient of a
     * bulk job finds the bulk job, and its own job when it has one (a retry or a bounce).
     */
    public JobPage page(JobFilter filter, PageRequest request) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Optional<Integer> building = JobKeysBuild.progress(connection);
            if (building.isEmpty()) {
                return read(connection, filter, request);
            }
            // Keys still being built (decision 30): a shown column's order would leave out the jobs not done yet, so
            // the page follows the Updated order; a word search finds the jobs done so far. The page says so.
            PageRequest order = request.sort().keyColumn().isEmpty() ? request
                    : new PageRequest(JobSort.UPDATED, true, request.key(), request.backwards(), request.limit());
            JobPage page = read(connection, filter, order);
            return new JobPage(page.rows(), page.request(), page.total(), page.totalCapped(), page.hasPrevious(),
                    page.hasNext(), building);
        }
    }

    /** Whether every job's sort keys and words are there; else the share of jobs done, in percent (see {@link JobPage}). */
    public Optional<Integer> keysBuilding() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return JobKeysBuild.progress(connection);
        }
    }

    private JobPage read(Connection connection, JobFilter filter, PageRequest request) throws SQLException {
        // Past 10,000 matches with nothing else to narrow them, the count is known to be "more than 10,000".
        boolean countKnown = false;
        boolean keyed = request.sort().keyColumn().isPresent();
        if (filter.hasSearch()) {
            List<String> read = strings(connection, JobSearchSql.candidates(filter));
            if (read.size() <= JobSearch.COUNT_LIMIT) {
                // A bulk job comes once per matching recipient.
                return pageAmong(connection, List.copyOf(new java.util.LinkedHashSet<>(read)), filter, request);
            }
            countKnown = filter.state().isEmpty() && filter.since().isEmpty() && filter.until().isEmpty();
        } else if (keyed && !JobPageSql.countedByCounters(filter) || keyed && filter.state().isPresent()
                && StateCounters.counts(connection).getOrDefault(filter.state().get(), 0L) <= JobSearch.COUNT_LIMIT) {
            // A shown column's order within a state or time range of a few thousand jobs: picked among them.
            List<String> read = strings(connection, JobPageSql.filteredIds(filter));
            if (read.size() <= JobSearch.COUNT_LIMIT) {
                return pageAmong(connection, read, filter, request);
            }
        }
        List<UUID> ids = new ArrayList<>();
        Map<UUID, Object> values = new HashMap<>();
        JobPageSql.Sql keys = keyed
                ? JobPageSql.keyedPageKeys(filter, request, SqlDialect.of(connection)) : JobPageSql.pageKeys(filter, request);
        try (PreparedStatement query = keys.prepare(connection); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                UUID id = UUID.fromString(rows.getString(1).trim());
                ids.add(id);
                if (keyed) {
                    values.put(id, sortValue(request.sort(), rows, 2));
                }
            }
        }
        boolean more = ids.size() > request.limit();
        if (more) {
            ids = new ArrayList<>(ids.subList(0, request.limit()));
        }
        if (request.backwards()) {
            Collections.reverse(ids);
        }
        List<JobRow> result = withValues(rowsOf(connection, ids), values);
        boolean hasKey = request.key().isPresent();
        boolean hasPrevious = request.backwards() ? more : hasKey;
        boolean hasNext = request.backwards() ? hasKey : more;
        long total;
        boolean capped = false;
        if (countKnown) {
            total = JobSearch.COUNT_LIMIT + 1;
            capped = true;
        } else {
            total = matches(connection, filter, JobPageSql::matchCount);
            capped = !JobPageSql.countedByCounters(filter) && total > JobSearch.COUNT_LIMIT;
        }
        return new JobPage(result, request, total, capped, hasPrevious, hasNext);
    }

    /** How many jobs {@code filter} matches, exactly: what a bulk action's confirmation states. */
    public long count(JobFilter filter) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return matches(connection, filter, JobPageSql::exactCount);
        }
    }

    /**
     * How many jobs {@code filter} matches: from the counters when they can tell (only a state chosen, decision 25),
     * else by the count {@code scan} makes of the filter (capped for a page, exact for a bulk action).
     */
    private static long matches(Connection connection, JobFilter filter,
                                java.util.function.Function<JobFilter, JobPageSql.Sql> scan) throws SQLException {
        if (JobPageSql.countedByCounters(filter)) {
            Map<JobState, Long> counts = StateCounters.counts(connection);
            return filter.state().map(state -> counts.getOrDefault(state, 0L))
                    .orElseGet(() -> counts.values().stream().mapToLong(Long::longValue).sum());
        }
        try (PreparedStatement count = scan.apply(filter).prepare(connection); ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * The ids of at most {@code limit} jobs {@code filter} matches, in id order, after {@code after}: keyset paging for
     * a bulk action (see {@link JobPageSql#matchingIds}).
     */
    public List<UUID> matchingIds(JobFilter filter, Optional<UUID> after, int limit) throws SQLException {
        List<UUID> ids = new ArrayList<>(Math.min(limit, 10_000));
        try (Connection connection = dataSource.getConnection()) {
            String primaryKey = jobsPrimaryKey;
            if (primaryKey == null) {
                primaryKey = JobPageSql.primaryKeyIndex(connection);
                jobsPrimaryKey = primaryKey;
            }
            try (PreparedStatement query = JobPageSql.matchingIds(filter, after, limit, primaryKey).prepare(connection);
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(UUID.fromString(rows.getString(1).trim()));
                }
            }
        }
        return ids;
    }

    /** A job's sort key as read from JobRunr's table, and from {@code jd_job_key} for a shown column's order. */
    private record Key(String id, String state, Instant updatedAt, Comparable<Object> value) {
    }

    /** A row's key in a shown column's order: a number for tries and code, else text; never null. */
    private static Object sortValue(JobSort sort, ResultSet rows, int column) throws SQLException {
        if (sort.numeric()) {
            return rows.getInt(column);
        }
        String value = rows.getString(column);
        return value == null ? "" : value;
    }

    private static List<JobRow> withValues(List<JobRow> rows, Map<UUID, Object> values) {
        if (values.isEmpty()) {
            return rows;
        }
        return rows.stream().map(row -> row.withSortValue(values.get(row.jobId()))).toList();
    }

    /**
     * A page picked from the few thousand jobs a search matched at most: their keys are read by primary key, then
     * filtered, ordered and cut to the page here, as the database would (see {@link JobSearchSql#candidates}).
     */
    private JobPage pageAmong(Connection connection, List<String> candidates, JobFilter filter, PageRequest request)
            throws SQLException {
        List<Key> keys = new ArrayList<>();
        boolean keyed = request.sort().keyColumn().isPresent();
        for (int from = 0; from < candidates.size(); from += 500) {
            List<String> chunk = candidates.subList(from, Math.min(candidates.size(), from + 500));
            try (PreparedStatement query = JobPageSql.keysOf(chunk, request.sort()).prepare(connection);
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    @SuppressWarnings("unchecked")
                    Comparable<Object> value = keyed ? (Comparable<Object>) sortValue(request.sort(), rows, 4) : null;
                    Key key = new Key(rows.getString(1).trim(), rows.getString(2), rows.getTimestamp(3).toInstant(), value);
                    if (filter.state().map(state -> state.name().equals(key.state())).orElse(true)
                            && filter.since().map(since -> !key.updatedAt().isBefore(since)).orElse(true)
                            && filter.until().map(until -> key.updatedAt().isBefore(until)).orElse(true)) {
                        keys.add(key);
                    }
                }
            }
        }
        Comparator<Key> order = Comparator.comparing(Key::updatedAt).thenComparing(Key::id);
        if (request.sort() == JobSort.STATE) {
            order = Comparator.comparing(Key::state).thenComparing(order);
        } else if (keyed) {
            // As H2 orders the key's index: the key (String.compareTo, as H2 compares text without a collation), then id.
            order = Comparator.comparing(Key::value).thenComparing(Key::id);
        }
        if (request.descending()) {
            order = order.reversed();
        }
        keys.sort(order);
        int start = 0;
        int end = keys.size();
        if (request.key().isPresent()) {
            PageKey at = request.key().get();
            @SuppressWarnings("unchecked")
            Comparable<Object> value = keyed ? (Comparable<Object>) (at.value() != null ? at.value()
                    : request.sort().numeric() ? (Object) 0 : "") : null;
            Key pivot = new Key(at.id().toString(), at.state().name(), at.updatedAt(), value);
            int position = Collections.binarySearch(keys, pivot, order);
            int insertion = position >= 0 ? position : -position - 1;
            if (request.backwards()) {
                end = insertion;
            } else {
                start = position >= 0 ? position + 1 : insertion;
            }
        }
        List<Key> window = keys.subList(start, end);
        boolean more = window.size() > request.limit();
        List<Key> picked = !more ? window : request.backwards()
                ? window.subList(window.size() - request.limit(), window.size()) : window.subList(0, request.limit());
        List<UUID> ids = picked.stream().map(key -> UUID.fromString(key.id())).toList();
        Map<UUID, Object> values = new HashMap<>();
        if (keyed) {
            picked.forEach(key -> values.put(UUID.fromString(key.id()), key.value()));
        }
        boolean hasKey = request.key().isPresent();
        boolean hasPrevious = request.backwards() ? more : hasKey;
        boolean hasNext = request.backwards() ? hasKey : more;
        return new JobPage(withValues(rowsOf(connection, ids), values), request, keys.size(), false, hasPrevious, hasNext);
    }

    private static List<String> strings(Connection connection, JobPageSql.Sql sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (PreparedStatement query = sql.prepare(connection); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                result.add(rows.getString(1).trim());
            }
        }
        return result;
    }

    /** The first page of jobs in {@code state} (all when empty), most recently updated first. */
    public JobPage page(Optional<JobState> state, int limit) throws SQLException {
        return page(JobFilter.ALL.withState(state), PageRequest.first(limit));
    }

    /** The table's rows for {@code ids}, in that order; a job gone meanwhile is left out. */
    private List<JobRow> rowsOf(Connection connection, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, JobRow> byId = new HashMap<>();
        try (PreparedStatement query = JobPageSql.rowsOf(ids).prepare(connection);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                JobRow row = new JobRow(
                        UUID.fromString(rows.getString("id").trim()),
                        rows.getString("to_addr"),
                        rows.getString("subject"),
                        JobState.valueOf(rows.getString("state")),
                        rows.getInt("attempts"),
                        rows.getString("host"),
                        instant(rows.getTimestamp("createdAt")),
                        instant(rows.getTimestamp("updatedAt")),
                        instant(rows.getTimestamp("scheduledAt")),
                        rows.getString("reply"),
                        outcome(rows.getString("outcome")),
                        (Integer) rows.getObject("code"),
                        null);
                byId.put(row.jobId(), row);
            }
        }
        List<JobRow> result = new ArrayList<>();
        for (UUID id : ids) {
            JobRow row = byId.get(id);
            if (row != null) {
                result.add(row);
            }
        }
        return result;
    }

    /** Each recipient a job delivers, with its status, attempts and last reply; one entry for a single job. */
    public List<JobRecipient> recipients(UUID jobId) throws SQLException {
        return details.recipients(jobId);
    }

    /** A job's detail: its state history, e-mail, attempts and recipients; empty when the job is gone. */
    public Optional<JobDetail> detail(UUID jobId) throws SQLException {
        return details.detail(jobId);
    }

    public List<RecurringEmail> recurring() throws SQLException {
        List<RecurringEmail> result = new ArrayList<>();
        for (RecurringJob job : storage.getRecurringJobs()) {
            Optional<OutboxEmail> template = outbox.templateOf(job.getId());
            result.add(new RecurringEmail(job.getId(), job.getJobName(), job.getScheduleExpression(), job.getZoneId(),
                    job.getNextRun(), template.map(OutboxEmail::to).orElse(""),
                    template.map(OutboxEmail::subject).orElse("")));
        }
        return result;
    }

    public static String title(JobState state) {
        String name = state.name();
        return name.charAt(0) + name.substring(1).toLowerCase();
    }

    private static DeliveryAttempt.Outcome outcome(String name) {
        return name == null ? null : DeliveryAttempt.Outcome.valueOf(name);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
