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
 * table per index: 57 s at 100,000 jobs, over 19 minutes at 1,000,000 (decision 4, addendum).
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

    /** Compares every secondary index with its table and rebuilds the ones that disagree; logs what it found. */
    static Outcome repairSecondaryIndexes(DataSource dataSource) throws SQLException {
        long started = System.nanoTime();
        List<String> rebuilt = new ArrayList<>();
        int checked;
        try (Connection connection = dataSource.getConnection()) {
            List<Index> indexes = secondaryIndexes(connection);
            checked = indexes.size();
            Map<String, List<Index>> byTable = new LinkedHashMap<>();
            indexes.forEach(index -> byTable.computeIfAbsent(index.table(), t -> new ArrayList<>()).add(index));
            for (List<Index> ofTable : byTable.values()) {
                List<Figures> fromTable = tableFigures(connection, ofTable);
                for (int i = 0; i < ofTable.size(); i++) {
                    Index index = ofTable.get(i);
                    String disagreement = disagreement(connection, index, fromTable.get(i));
                    if (disagreement != null) {
                        rebuild(connection, index);
                        rebuilt.add(index.name());
                        LOG.log(System.Logger.Level.WARNING, "Index {0} on {1} disagreed with its table after an"
                                + " unclean shutdown ({2}); rebuilt it from the rows", index.name(), index.table(), disagreement);
                    }
                }
            }
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

    /** One index-only scan; null when the index's entries match the rows, else what differs. */
    private static String disagreement(Connection connection, Index index, Figures fromTable) {
        String sql = "SELECT COUNT(*), COALESCE(SUM(" + index.entryHash() + "), 0) FROM " + quote(index.table())
                + " USE INDEX (" + quote(index.name()) + ")";
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            Figures fromIndex = new Figures(row.getLong(1), row.getBigDecimal(2).toPlainString());
            if (fromIndex.entries() != fromTable.entries()) {
                return fromIndex.entries() + " entries for " + fromTable.entries() + " rows";
            }
            return Objects.equals(fromIndex.hashSum(), fromTable.hashSum()) ? null
                    : "entries whose columns or row keys differ from the rows'";
        } catch (SQLException unreadable) {
            return "the index could not be read: " + unreadable.getMessage();
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
