package dev.jobdeck.core.store;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded H2 store opened read-only ({@code ACCESS_MODE_DATA=r}), for {@code jobdeck store move}: nothing is
 * migrated, no {@code store.inUse} is set, no index repaired, so the file stays byte for byte as it was. The caller
 * holds the {@link DirectoryLock}, so no console, worker or script writes it meanwhile.
 */
public final class H2Snapshot implements AutoCloseable {

    private final Connection connection;

    private H2Snapshot(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens the store of {@code directory} read-only, or refuses with one sentence: no store file, a store of another
     * JobDeck version (run this version on it once), or one whose last owner did not close it (its indexes are checked
     * by the next open that writes).
     */
    public static H2Snapshot open(DataDirectory directory) throws StoreException {
        if (!Files.isRegularFile(directory.databaseFile())) {
            throw new StoreException("The data directory " + directory.path() + " has no embedded H2 store to move ("
                    + directory.databaseFile() + " does not exist).");
        }
        StoreFileCheck.requireH2OrAbsent(directory.databaseFile());
        Database.bindToLoopback();
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:h2:" + directory.databaseName()
                    + ";ACCESS_MODE_DATA=r;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=4"
                    // Rows stream to the copy rather than being gathered first (a million jobs' JSON).
                    + ";LAZY_QUERY_EXECUTION=TRUE", Database.OWNER,
                    directory.databasePassword());
        } catch (SQLException e) {
            throw new StoreException("Cannot open the embedded H2 store in " + directory.path() + " to read it: "
                    + firstLine(e.getMessage()), e);
        }
        H2Snapshot snapshot = new H2Snapshot(connection);
        try {
            snapshot.requireMovable(directory);
            return snapshot;
        } catch (SQLException | StoreException | RuntimeException e) {
            snapshot.close();
            if (e instanceof StoreException store) {
                throw store;
            }
            throw new StoreException("Cannot read the embedded H2 store in " + directory.path() + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    private void requireMovable(DataDirectory directory) throws SQLException, StoreException {
        String version;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT \"version\" FROM jd_schema_history WHERE \"success\""
                     + " AND \"version\" IS NOT NULL ORDER BY \"installed_rank\" DESC FETCH FIRST 1 ROWS ONLY")) {
            version = rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            // No history table: a store from before versioned migrations (decision 34).
            version = null;
        }
        if (!StoreMigrations.NEWEST.equals(version)) {
            throw new StoreException("The embedded H2 store in " + directory.path() + " is at schema version "
                    + (version == null ? "none" : version) + ", not " + StoreMigrations.NEWEST + "; run"
                    + " `jobdeck status --data-dir " + directory.path() + "` once with this JobDeck, then move it.");
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT setting_value FROM jd_setting WHERE name = '"
                     + Database.IN_USE + "'")) {
            if (rows.next() && "true".equals(rows.getString(1))) {
                throw new StoreException("The embedded H2 store in " + directory.path() + " was not closed cleanly"
                        + " (a console, worker or script was killed); run `jobdeck status --data-dir " + directory.path()
                        + "` once, which checks it, then move it.");
            }
        }
    }

    /** The read-only connection; statements run on it see the store as it is (no one else writes it). */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            System.getLogger(H2Snapshot.class.getName()).log(System.Logger.Level.DEBUG, "Closing the read-only store", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
