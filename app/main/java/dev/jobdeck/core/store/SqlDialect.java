package dev.jobdeck.core.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What differs between the two databases a store can live in, in one place (decision 34): the folder of each
 * versioned migration history, and the statements whose syntax H2 and PostgreSQL do not share. Everything else
 * JobDeck runs is SQL both accept.
 */
public enum SqlDialect {

    /** The embedded default: an H2 file in the data directory. */
    H2("h2"),
    /** A store shared by hosts on several machines. */
    POSTGRESQL("postgresql");

    private final String folder;

    SqlDialect(String folder) {
        this.folder = folder;
    }

    /**
     * The database behind {@code connection}, by the name its driver gives it: a constant in both drivers, so this asks
     * the server nothing and a class that takes a plain {@code DataSource} can pick its statements as it runs them.
     */
    public static SqlDialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if ("H2".equals(product)) {
            return H2;
        }
        if ("PostgreSQL".equals(product)) {
            return POSTGRESQL;
        }
        throw new SQLException("JobDeck's store runs on H2 or PostgreSQL, not on " + product);
    }

    /** The classpath folder of a migration history for this database, e.g. {@code db/store/postgresql}. */
    String migrations(String history) {
        return "classpath:db/" + history + "/" + folder;
    }

    /**
     * The table of a migration history. Flyway quotes the name it is given; H2 folds unquoted names to upper case and
     * PostgreSQL to lower case, so each gets the case in which {@code jd_schema_history} names it unquoted.
     */
    String historyTable() {
        return this == H2 ? "JD_SCHEMA_HISTORY" : "jd_schema_history";
    }

    /**
     * Inserts a row, or replaces the other columns of the row with the same key: one statement, with a parameter per
     * column, keys first. Neither database makes a concurrent writer of the same key fail.
     */
    public String upsert(String table, List<String> keys, List<String> others) {
        String columns = String.join(", ", keys) + (others.isEmpty() ? "" : ", " + String.join(", ", others));
        String parameters = String.join(", ", java.util.Collections.nCopies(keys.size() + others.size(), "?"));
        return switch (this) {
            case H2 -> "MERGE INTO " + table + " (" + columns + ") KEY (" + String.join(", ", keys) + ") VALUES ("
                    + parameters + ")";
            case POSTGRESQL -> "INSERT INTO " + table + " (" + columns + ") VALUES (" + parameters + ") ON CONFLICT ("
                    + String.join(", ", keys) + ") " + (others.isEmpty() ? "DO NOTHING" : "DO UPDATE SET "
                    + others.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", ")));
        };
    }

    /**
     * H2's hint to read a table through {@code index}, written after the table (and its alias): H2 picked worse plans at a
     * million e-mails without it. PostgreSQL takes no hints and plans from its statistics: nothing.
     */
    public String useIndex(String index) {
        return this == H2 ? " USE INDEX (" + index + ")" : "";
    }

    /** The timestamp {@code seconds} after the timestamp expression {@code timestamp}. */
    public String plusSeconds(long seconds, String timestamp) {
        return switch (this) {
            case H2 -> "DATEADD(SECOND, " + seconds + ", " + timestamp + ")";
            case POSTGRESQL -> "(" + timestamp + " + INTERVAL '" + seconds + " seconds')";
        };
    }

    /** The seconds, with their fraction to the microsecond, from the timestamp expression {@code from} to {@code to}. */
    public String secondsBetween(String from, String to) {
        return switch (this) {
            case H2 -> "DATEDIFF(MICROSECOND, " + from + ", " + to + ") / 1000000.0";
            case POSTGRESQL -> "EXTRACT(EPOCH FROM (" + to + " - " + from + "))";
        };
    }

    /**
     * Runs {@code update} (an UPDATE without RETURNING) and reads, per value of {@code column} of the rows it changed,
     * how many it changed: one statement, its rows {@code column, COUNT(*)}.
     */
    public String countUpdated(String update, String column) {
        return switch (this) {
            case H2 -> "SELECT " + column + ", COUNT(*) FROM FINAL TABLE (" + update + ") GROUP BY " + column;
            case POSTGRESQL -> "WITH u AS (" + update + " RETURNING " + column + ") SELECT " + column
                    + ", COUNT(*) FROM u GROUP BY " + column;
        };
    }

    /**
     * Adds amounts to counters per key in one statement: its two parameters are an array of keys (of SQL type {@code
     * keyType}) and an array of BIGINT amounts, set with {@link #setArray}; each amount is added to every column of
     * {@code columns} of its key's row, which is inserted with the amount when missing.
     */
    public String addPerKey(String table, String key, String keyType, List<String> columns) {
        String values = columns.stream().map(c -> "s.n").collect(Collectors.joining(", "));
        return switch (this) {
            case H2 -> "MERGE INTO " + table + " t"
                    + " USING (SELECT * FROM UNNEST(CAST(? AS " + keyType + " ARRAY), CAST(? AS BIGINT ARRAY))) s (" + key
                    + ", n) ON t." + key + " = s." + key
                    + " WHEN MATCHED THEN UPDATE SET " + columns.stream().map(c -> c + " = t." + c + " + s.n")
                    .collect(Collectors.joining(", "))
                    + " WHEN NOT MATCHED THEN INSERT (" + key + ", " + String.join(", ", columns) + ") VALUES (s." + key
                    + ", " + values + ")";
            case POSTGRESQL -> "INSERT INTO " + table + " AS t (" + key + ", " + String.join(", ", columns) + ") SELECT s."
                    + key + ", " + values + " FROM UNNEST(?::" + keyType + "[], ?::BIGINT[]) s (" + key + ", n)"
                    + " ON CONFLICT (" + key + ") DO UPDATE SET " + columns.stream()
                    .map(c -> c + " = t." + c + " + EXCLUDED." + c).collect(Collectors.joining(", "));
        };
    }

    /** Sets parameter {@code index} to an array of {@code values} of SQL type {@code type} (e.g. UUID, BIGINT). */
    public void setArray(java.sql.PreparedStatement statement, int index, String type, Object[] values)
            throws SQLException {
        if (this == H2) {
            statement.setObject(index, values);
        } else {
            statement.setArray(index, statement.getConnection().createArrayOf(type.toLowerCase(java.util.Locale.ROOT),
                    values));
        }
    }

    /** H2's index hints, which PostgreSQL's parser refuses. */
    private static final java.util.regex.Pattern INDEX_HINT = java.util.regex.Pattern.compile(" USE INDEX \\([^)]*\\)");

    /**
     * {@code sql} as this database takes it: on PostgreSQL without H2's {@code USE INDEX (…)} hints, which the
     * statements over JobRunr's table and the ledger carry in many places (PostgreSQL plans from its statistics); on
     * H2 as written, byte for byte.
     */
    public String adapt(String sql) {
        return this == H2 ? sql : INDEX_HINT.matcher(sql).replaceAll("");
    }

    /** {@code connection.prepareStatement(sql)}, {@link #adapt adapted} to the connection's database. */
    public static java.sql.PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(of(connection).adapt(sql));
    }
}
