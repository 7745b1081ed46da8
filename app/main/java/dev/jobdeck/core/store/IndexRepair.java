package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks every secondary index of the store against its table's rows and rebuilds those that disagree. H2 can come
 * back from a {@code kill -9} with an index that disagrees with its table (seen here: a job whose row said Succeeded
 * still listed under Processing by the state index, so recovery picked it up and JobRunr refused the stale update;
 * see h2database issue 995).
 *
 * <p>The check reads each table once ({@code USE INDEX ()}: H2's table scan) and each index once, index only ({@code
 * USE INDEX (name)}, selecting only the index's columns and {@code _ROWID_}, so H2 answers from the index's entries
 * and never fetches a row). Both sides compute, per index, the number of entries and the sum of a hash ({@code
 * ORA_HASH}) of each entry's columns and row key; an index whose figures differ from its table's, or that cannot be
 * read, is dropped and recreated from the rows. A stale entry (the right row key with an old column value) changes
 * the sum, a missing or extra entry the count. Rebuilding everything instead costs a scan and a sort of the whole
 * table per index: 57 s at 100,000 jobs, over 19 minutes at 1,000,000 (decision 4, addendum). The scans run side by
 * side, one per core ({@link #checkThreads()}).
 */
final class IndexRepair {

    private static final System.Logger LOG = System.getLogger(IndexRepair.class.getName());

    private record Index(String table, String name, boolean unique, List<String> columns) {

        /** A hash of one entry: its columns and row key, as one text (a ROW value renders every type, NULL included). */
        String entryHash() {
            return "ORA_HASH(CAST(ROW(" + String.join(", ", columns.stream().map(IndexRepair::withoutOrdering).toList())
                    + ", _ROWID_) AS VARCHAR))";
        }
    }

    /** What one check found: how many indexes it compared and which it rebuilt (by name). */
    record Outcome(int checked, List<String> rebuilt) {
    }

    private IndexRepair() {
    }

    /**
     * How many scans run at once: one per core, each on its own connection (H2 reads a file from several threads;
     * the check is CPU-bound, hashing every entry). {@code -Djobdeck.store.checkThreads=N} sets it (benchmarks).
     */
    static int checkThreads() {
        return Integer.getInteger("jobdeck.store.checkThreads", Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Compares every secondary index with its table and rebuilds the ones that disagree; logs what it found. */
    static Outcome repairSecondaryIndexes(DataSource dataSource) throws SQLException {
        long started = System.nanoTime();
        List<String> rebuilt = new ArrayList<>();
        int checked;
        List<Index> indexes;
        try (Connection connection = dataSource.getConnection()) {
            indexes = secondaryIndexes(connection);
        }
        checked = indexes.size();
        Map<String, List<Index>> byTable = new LinkedHashMap<>();
        indexes.forEach(index -> byTable.computeIfAbsent(index.table(), t -> new ArrayList<>()).add(index));
        // Every table scan and every index scan is a read of its own: they run side by side, the tables first (the
        // longest), and the comparisons and any rebuild follow in order on one connection.
        ExecutorService scans = Executors.newFixedThreadPool(checkThreads(), runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-index-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Future<List<Figures>>> fromTables = new LinkedHashMap<>();
            byTable.forEach((table, ofTable) -> fromTables.put(table, scans.submit(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    return tableFigures(connection, ofTable);
                }
            })));
            Map<Index, Future<Figures>> fromIndexes = new LinkedHashMap<>();
            for (Index index : indexes) {
                fromIndexes.put(index, scans.submit(() -> {
                    try (Connection connection = dataSource.getConnection()) {
                        return indexFigures(connection, index);
                    }
                }));
            }
            // Every scan ends before the first rebuild: a rebuild locks its table, and a scan of another of its indexes
            // meanwhile timed out on that lock and was taken for a broken index (and rebuilt, minutes at a million).
            Map<Index, String> disagreements = new LinkedHashMap<>();
            for (Map.Entry<String, List<Index>> table : byTable.entrySet()) {
                List<Figures> fromTable = result(fromTables.get(table.getKey()));
                for (int i = 0; i < table.getValue().size(); i++) {
                    Index index = table.getValue().get(i);
                    String disagreement = disagreement(fromIndexes.get(index), fromTable.get(i));
                    if (disagreement != null) {
                        disagreements.put(index, disagreement);
                    }
                }
            }
            try (Connection connection = dataSource.getConnection()) {
                for (Map.Entry<Index, String> disagreeing : disagreements.entrySet()) {
                    Index index = disagreeing.getKey();
                    rebuild(connection, index);
                    rebuilt.add(index.name());
                    LOG.log(System.Logger.Level.WARNING, "Index {0} on {1} disagreed with its table after an unclean"
                            + " shutdown ({2}); rebuilt it from the rows", index.name(), index.table(),
                            disagreeing.getValue());
                }
            }
        } finally {
            scans.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (rebuilt.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "Checked {0} index(es) against their tables after an unclean shutdown"
                    + " in {1} ms: all agreed", checked, millis);
        } else {
            LOG.log(System.Logger.Level.WARNING, "Checked {0} index(es) against their tables after an unclean shutdown"
                    + " in {1} ms: rebuilt {2}", checked, millis, String.join(", ", rebuilt));
        }
        return new Outcome(checked, List.copyOf(rebuilt));
    }

    private record Figures(long entries, String hashSum) {
    }

    /** One table scan: the row count and, for each index, the sum of its entries' hashes as the rows say. */
    private static List<Figures> tableFigures(Connection connection, List<Index> indexes) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*)");
        for (Index index : indexes) {
            sql.append(", COALESCE(SUM(").append(index.entryHash()).append("), 0)");
        }
        sql.append(" FROM ").append(quote(indexes.get(0).table())).append(" USE INDEX ()");
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql.toString())) {
            row.next();
            List<Figures> figures = new ArrayList<>();
            for (int i = 0; i < indexes.size(); i++) {
                figures.add(new Figures(row.getLong(1), row.getBigDecimal(i + 2).toPlainString()));
            }
            return figures;
        }
    }

    /** One index-only scan: its entries and the sum of their hashes. */
    private static Figures indexFigures(Connection connection, Index index) throws SQLException {
        String sql = "SELECT COUNT(*), COALESCE(SUM(" + index.entryHash() + "), 0) FROM " + quote(index.table())
                + " USE INDEX (" + quote(index.name()) + ")";
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return new Figures(row.getLong(1), row.getBigDecimal(2).toPlainString());
        }
    }

    /** Null when the index's entries (as scanned) match the rows, else what differs. */
    private static String disagreement(Future<Figures> scanned, Figures fromTable) throws SQLException {
        Figures fromIndex;
        try {
            fromIndex = result(scanned);
        } catch (SQLException unreadable) {
            return "the index could not be read: " + unreadable.getMessage();
        }
        if (fromIndex.entries() != fromTable.entries()) {
            return fromIndex.entries() + " entries for " + fromTable.entries() + " rows";
        }
        return Objects.equals(fromIndex.hashSum(), fromTable.hashSum()) ? null
                : "entries whose columns or row keys differ from the rows'";
    }

    /** A scan's result, its SQLException as thrown. */
    private static <T> T result(Future<T> scan) throws SQLException {
        try {
            return scan.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while checking the store's indexes", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("Cannot check the store's indexes: " + e.getCause(), e.getCause());
        }
    }

    private static void rebuild(Connection connection, Index index) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP INDEX " + quote(index.name()));
            statement.execute("CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX " + quote(index.name())
                    + " ON " + quote(index.table()) + " (" + String.join(", ", index.columns()) + ")");
        }
    }

    /** Indexes created with CREATE INDEX (not those behind primary keys or constraints), with their columns in order. */
    private static List<Index> secondaryIndexes(Connection connection) throws SQLException {
        return StoreIndexes.all(connection).stream().map(index -> new Index(index.table(), index.name(), index.unique(),
                index.columns().stream().map(StoreIndexes.Column::definition).toList())).toList();
    }

    private static String withoutOrdering(String column) {
        return column.endsWith(" DESC") ? column.substring(0, column.length() - " DESC".length()) : column;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
