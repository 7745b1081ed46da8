package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Copies one table's rows from the embedded H2 store to a PostgreSQL store ({@code jobdeck store move}): one streamed
 * read, written in batches, each batch its own PostgreSQL transaction. Columns are the target's own (its generated
 * ones left to it), read by name, so the two schemas' column order does not matter; values keep their exact wall
 * clock, offset and bytes (a {@code TIMESTAMP} as a {@code LocalDateTime}, whatever the JVM's zone).
 */
public final class TableCopy {

    /** Rows written per PostgreSQL transaction. */
    public static final int BATCH = 500;

    /** Changes a row on its way (keyed by lower-case column name) before it is written. */
    @FunctionalInterface
    public interface RowChange {
        void apply(Map<String, Object> row) throws SQLException;
    }

    /** Rows of a table written so far, after each committed batch. */
    @FunctionalInterface
    public interface Progress {
        void copied(String table, long rows);
    }

    /**
     * A table to copy. {@code where} (SQL both databases read alike, or null) picks its rows, on both sides: rows of
     * the target that match it are replaced when {@code replace} (a row the target's migrations wrote, such as the
     * wake signal's), and counted when the copy is verified.
     */
    public record Table(String name, String where, boolean replace, RowChange change) {

        public static Table all(String name) {
            return new Table(name, null, false, row -> { });
        }

        String whereClause() {
            return where == null ? "" : " WHERE " + where;
        }
    }

    private TableCopy() {
    }

    /** Copies {@code table}; returns the rows written. */
    public static long copy(Connection source, DataSource target, Table table, Progress progress) throws SQLException {
        long written = 0;
        try (Connection to = target.getConnection()) {
            List<String> columns = targetColumns(to, table.name());
            to.setAutoCommit(false);
            try {
                if (table.replace()) {
                    try (Statement statement = to.createStatement()) {
                        statement.executeUpdate("DELETE FROM " + table.name() + table.whereClause());
                    }
                }
                String insert = "INSERT INTO " + table.name() + " (" + String.join(", ", columns.stream()
                        .map(column -> "\"" + column + "\"").toList()) + ") VALUES ("
                        + String.join(", ", columns.stream().map(column -> "?").toList()) + ")";
                try (Statement read = source.createStatement();
                     PreparedStatement write = to.prepareStatement(insert)) {
                    read.setFetchSize(BATCH);
                    // Quoted in H2's upper case: a column such as JobRunr's "value" is a keyword there.
                    try (ResultSet rows = read.executeQuery("SELECT " + String.join(", ", columns.stream()
                            .map(column -> "\"" + column.toUpperCase(Locale.ROOT) + "\"").toList()) + " FROM "
                            + table.name() + table.whereClause())) {
                        ResultSetMetaData meta = rows.getMetaData();
                        int pending = 0;
                        while (rows.next()) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            for (int i = 1; i <= columns.size(); i++) {
                                row.put(columns.get(i - 1), value(rows, meta, i));
                            }
                            table.change().apply(row);
                            int index = 1;
                            for (String column : columns) {
                                write.setObject(index++, row.get(column));
                            }
                            write.addBatch();
                            if (++pending == BATCH) {
                                write.executeBatch();
                                to.commit();
                                written += pending;
                                pending = 0;
                                progress.copied(table.name(), written);
                            }
                        }
                        if (pending > 0) {
                            write.executeBatch();
                        }
                        to.commit();
                        written += pending;
                        progress.copied(table.name(), written);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                to.rollback();
                throw e;
            } finally {
                to.setAutoCommit(true);
            }
        }
        return written;
    }

    /** The rows of {@code table} that the copy takes (its {@code where}), on either side. */
    public static long count(Connection connection, Table table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table.name() + table.whereClause())) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The target's columns that take a value (not generated), in its order, lower case. */
    private static List<String> targetColumns(Connection target, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = target.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'"
                + " ORDER BY ordinal_position")) {
            query.setString(1, table.toLowerCase(Locale.ROOT));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("The PostgreSQL store has no table " + table);
        }
        return columns;
    }

    private static Object value(ResultSet rows, ResultSetMetaData meta, int index) throws SQLException {
        Object value = switch (meta.getColumnType(index)) {
            case Types.TIMESTAMP -> rows.getObject(index, LocalDateTime.class);
            case Types.TIMESTAMP_WITH_TIMEZONE -> rows.getObject(index, OffsetDateTime.class);
            case Types.CLOB, Types.NCLOB -> rows.getString(index);
            case Types.BLOB -> rows.getBytes(index);
            default -> "UUID".equalsIgnoreCase(meta.getColumnTypeName(index)) ? rows.getObject(index, UUID.class)
                    : rows.getObject(index);
        };
        return rows.wasNull() ? null : value;
    }
}
