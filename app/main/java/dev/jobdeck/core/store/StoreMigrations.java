package dev.jobdeck.core.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.sql.SQLException;

/**
 * JobDeck's tables are created and migrated by versioned migrations (Flyway, decision 34): one history per kind of
 * database, {@code db/HISTORY/h2} and {@code db/HISTORY/postgresql}, with the same versions and descriptions, recorded
 * in the table {@code jd_schema_history}. A store from before this history (tables, no history) is baselined at version 0
 * and then runs version 1, whose statements are idempotent, so an existing user's file migrates in place.
 */
final class StoreMigrations {

    /** JobDeck's tables in the store. */
    static final String STORE = "store";
    /** The built-in sink's mailbox, always H2 (decision 15). */
    static final String SINK = "sink";

    /**
     * The newest version of every history, on either database. An open whose history already reached it skips Flyway,
     * whose set-up and validation cost 270 ms of every one-shot command; {@code StoreMigrationsTest} fails when a new
     * migration is added without raising it.
     */
    static final String NEWEST = "3";
    /** The built-in sink's history, which has its own versions. */
    static final String NEWEST_SINK = "1";

    private static final System.Logger LOG = System.getLogger(StoreMigrations.class.getName());

    private StoreMigrations() {
    }

    /** Brings the tables of {@code history} in {@code dataSource} up to this version's newest migration. */
    static void migrate(DataSource dataSource, SqlDialect dialect, String history) throws SQLException {
        long started = System.nanoTime();
        if (newest(history).equals(currentVersion(dataSource, dialect).orElse(null))) {
            return;
        }
        MigrateResult result;
        try {
            result = Flyway.configure(StoreMigrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(dialect.migrations(history))
                    .table(dialect.historyTable())
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .baselineDescription("tables from before versioned migrations")
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof SQLException)) {
                cause = cause.getCause();
            }
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("Cannot migrate JobDeck's tables: " + e.getMessage(), e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (result.migrationsExecuted > 0) {
            // A version whose migration builds an index on an existing store: minutes at a million e-mails.
            LOG.log(System.Logger.Level.INFO, "Migrated the {0} tables from version {1} to {2} in {3} ms", history,
                    result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion, result.targetSchemaVersion,
                    millis);
        }
    }

    static String newest(String history) {
        return SINK.equals(history) ? NEWEST_SINK : NEWEST;
    }

    /** The version a store's history reached (Flyway quotes its columns' lower-case names), or empty without a history (a new store, or one from before them). */
    static Optional<String> currentVersion(DataSource dataSource, SqlDialect dialect) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (ResultSet tables = connection.getMetaData().getTables(null, null, dialect.historyTable(),
                    new String[] {"TABLE"})) {
                if (!tables.next()) {
                    return Optional.empty();
                }
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT \"version\" FROM jd_schema_history"
                         + " WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\" DESC"
                         + " FETCH FIRST 1 ROWS ONLY")) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        }
    }
}
