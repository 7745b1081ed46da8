package dev.jobdeck.core.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The Settings screen's "Test connection" (issue 17): a round trip to the store as the hosts make them, and what the
 * server says of itself, in one sentence for the operator. On PostgreSQL: the server's version, the user and whether
 * the connection is encrypted (TLS is used whenever the server offers it, decision 36). Also the store's size on disk,
 * as {@code status} and the Settings screen show it.
 */
public final class StoreProbe {

    private StoreProbe() {
    }

    /** What a test found: the sentence shown, and the round trip of a trivial query. */
    public record Result(String sentence, Duration roundTrip) {
    }

    /** Asks the store; a store that does not answer throws, with the driver's reason. */
    public static Result test(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            statement.executeQuery("SELECT 1").close();
            Duration roundTrip = Duration.ofNanos(System.nanoTime() - started);
            String millis = roundTrip.toNanos() < 1_000_000 ? "under 1 ms"
                    : roundTrip.toMillis() + " ms";
            if (database.dialect() == SqlDialect.H2) {
                return new Result("The embedded store answers in " + millis + " (H2 "
                        + connection.getMetaData().getDatabaseProductVersion() + ").", roundTrip);
            }
            try (ResultSet rows = statement.executeQuery("SELECT current_setting('server_version'), current_user,"
                    + " COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), FALSE)")) {
                rows.next();
                return new Result("Connected as " + rows.getString(2) + " in " + millis + ": PostgreSQL "
                        + rows.getString(1) + ", " + (rows.getBoolean(3) ? "encrypted (TLS)." : "not encrypted."),
                        roundTrip);
            }
        }
    }

    /**
     * The store's size on disk, in bytes: the H2 file's (a look at the file system, cheap from any process on this
     * machine), or the PostgreSQL database's as its server counts it.
     */
    public static long sizeOnDisk(Database database) throws SQLException {
        return database.dialect() == SqlDialect.POSTGRESQL ? sizeOfSharedStore(database)
                : new StoreCompaction(database, 0).sizeOnDisk();
    }

    private static long sizeOfSharedStore(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_database_size(current_database())")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
