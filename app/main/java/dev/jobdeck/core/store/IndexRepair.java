package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds every secondary index of the store from its table's rows. H2 can come back from a {@code kill -9}
 * with an index that disagrees with its table (seen here: a job whose row said Succeeded still listed under
 * Processing by the state index, so recovery picked it up and JobRunr refused the stale update; see
 * h2database issue 995). Rebuilding after an unclean shutdown makes the rows the single truth again; for the
 * tens of thousands of rows JobDeck keeps it takes well under a second.
 */
final class IndexRepair {

    private static final System.Logger LOG = System.getLogger(IndexRepair.class.getName());

    private record Index(String table, String name, boolean unique, List<String> columns) {
    }

    private IndexRepair() {
    }

    static int rebuildSecondaryIndexes(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            List<Index> indexes = secondaryIndexes(connection);
            try (Statement statement = connection.createStatement()) {
                for (Index index : indexes) {
                    statement.execute("DROP INDEX " + quote(index.name()));
                    statement.execute("CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX " + quote(index.name())
                            + " ON " + quote(index.table()) + " (" + String.join(", ", index.columns()) + ")");
                }
            }
            LOG.log(System.Logger.Level.INFO, "Rebuilt {0} index(es) after an unclean shutdown", indexes.size());
            return indexes.size();
        }
    }

    /** Indexes created with CREATE INDEX (not those behind primary keys or constraints), with their columns in order. */
    private static List<Index> secondaryIndexes(Connection connection) throws SQLException {
        Map<String, Index> byName = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT i.TABLE_NAME, i.INDEX_NAME, i.INDEX_TYPE_NAME, c.COLUMN_NAME, c.ORDERING_SPECIFICATION
                FROM INFORMATION_SCHEMA.INDEXES i
                JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c
                  ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME
                WHERE i.TABLE_SCHEMA = 'PUBLIC' AND i.INDEX_TYPE_NAME IN ('INDEX', 'UNIQUE INDEX')
                  AND NOT EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS t
                                  WHERE t.INDEX_SCHEMA = i.INDEX_SCHEMA AND t.INDEX_NAME = i.INDEX_NAME)
                ORDER BY i.TABLE_NAME, i.INDEX_NAME, c.ORDINAL_POSITION""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                String name = rows.getString(2);
                Index index = byName.get(name);
                if (index == null) {
                    index = new Index(rows.getString(1), name, "UNIQUE INDEX".equals(rows.getString(3)), new ArrayList<>());
                    byName.put(name, index);
                }
                index.columns().add(quote(rows.getString(4)) + ("DESC".equals(rows.getString(5)) ? " DESC" : ""));
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
