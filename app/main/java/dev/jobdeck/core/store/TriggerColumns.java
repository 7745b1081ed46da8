package dev.jobdeck.core.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Where a column sits in the row arrays H2 hands a trigger: what every JobDeck trigger reads in its {@code init}. */
public final class TriggerColumns {

    private TriggerColumns() {
    }

    /** The index of {@code column} in {@code table}'s rows (0-based); an SQLException naming both when it has none. */
    public static int position(Connection connection, String schema, String table, String column) throws SQLException {
        try (ResultSet columns = connection.getMetaData().getColumns(null, schema, table, column)) {
            if (!columns.next()) {
                throw new SQLException("Table " + table + " has no column " + column);
            }
            return columns.getInt("ORDINAL_POSITION") - 1;
        }
    }
}
