package dev.jobdeck.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's secondary indexes, as H2's INFORMATION_SCHEMA lists them: those made with CREATE INDEX, not those behind
 * primary keys or constraints. The one place that reads them (the index check after an unclean shutdown, the store
 * generator and the benchmarks).
 */
public final class StoreIndexes {

    /** One column of an index, in its place, and whether the index orders it descending. */
    public record Column(String name, boolean descending) {

        /** The column as CREATE INDEX takes it: quoted, with DESC when descending. */
        public String definition() {
            return quoted() + (descending ? " DESC" : "");
        }

        /** The column's name, quoted. */
        public String quoted() {
            return quote(name);
        }
    }

    /** A secondary index: its table, name, uniqueness and columns in order (names as H2 holds them, upper case). */
    public record Index(String table, String name, boolean unique, List<Column> columns) {

        public Index {
            columns = List.copyOf(columns);
        }

        /** The statement that creates this index again, as it is. */
        public String createStatement() {
            return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + quote(name) + " ON " + quote(table) + " ("
                    + String.join(", ", columns.stream().map(Column::definition).toList()) + ")";
        }

        /** The statement that drops this index. */
        public String dropStatement() {
            return "DROP INDEX " + quote(name);
        }
    }

    private StoreIndexes() {
    }

    /** Every secondary index of the store, by table, then name. */
    public static List<Index> all(Connection connection) throws SQLException {
        return list(connection, null);
    }

    /** The secondary indexes of {@code table} (its name as H2 holds it: upper case unless created quoted), by name. */
    public static List<Index> of(Connection connection, String table) throws SQLException {
        return list(connection, table);
    }

    private static List<Index> list(Connection connection, String table) throws SQLException {
        Map<String, Index> byName = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT i.TABLE_NAME, i.INDEX_NAME, i.INDEX_TYPE_NAME, c.COLUMN_NAME, c.ORDERING_SPECIFICATION
                FROM INFORMATION_SCHEMA.INDEXES i
                JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c
                  ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME
                WHERE i.TABLE_SCHEMA = 'PUBLIC' AND i.INDEX_TYPE_NAME IN ('INDEX', 'UNIQUE INDEX')
                  AND (CAST(? AS VARCHAR) IS NULL OR i.TABLE_NAME = ?)
                  AND NOT EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS t
                                  WHERE t.INDEX_SCHEMA = i.INDEX_SCHEMA AND t.INDEX_NAME = i.INDEX_NAME)
                ORDER BY i.TABLE_NAME, i.INDEX_NAME, c.ORDINAL_POSITION""")) {
            query.setString(1, table);
            query.setString(2, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(2);
                    Column column = new Column(rows.getString(4), "DESC".equals(rows.getString(5)));
                    Index index = byName.get(name);
                    List<Column> columns = new ArrayList<>(index == null ? List.of() : index.columns());
                    columns.add(column);
                    byName.put(name, new Index(rows.getString(1), name, "UNIQUE INDEX".equals(rows.getString(3)),
                            columns));
                }
            }
        }
        return List.copyOf(byName.values());
    }

    /** An identifier quoted for H2, as it is held (no change of case). */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
