package dev.jobdeck.core.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class StoreMigrationsTest {

    @TempDir
    Path temp;

    @Test
    void bothDatabasesHaveTheSameHistoryAndItsNewestVersionIsTheOneAnOpenChecks() {
        List<String> h2 = resolved(SqlDialect.H2, StoreMigrations.STORE);
        List<String> postgresql = resolved(SqlDialect.POSTGRESQL, StoreMigrations.STORE);

        assertThat(h2).isNotEmpty().isEqualTo(postgresql);
        assertThat(h2.get(h2.size() - 1)).startsWith(StoreMigrations.NEWEST + " ");
        List<String> sink = resolved(SqlDialect.H2, StoreMigrations.SINK);
        assertThat(sink.get(sink.size() - 1)).startsWith(StoreMigrations.NEWEST_SINK + " ");
    }

    @Test
    void aNewStoreIsCreatedByTheMigrationsAndRecordsItsVersion() throws Exception {
        try (Database database = Database.open(new DataDirectory(temp.resolve("data")), 2)) {
            assertThat(StoreMigrations.currentVersion(database.dataSource(), SqlDialect.H2)).contains(StoreMigrations.NEWEST);
            assertThat(history(database)).containsExactly("1 jobdeck tables", "2 cluster hosts", "3 job keys on postgresql");
        }
    }

    @Test
    void aStoreFromBeforeVersionedMigrationsIsMigratedInPlaceAndKeepsItsRows() throws Exception {
        DataDirectory directory = new DataDirectory(temp.resolve("data"));
        UUID template = UUID.randomUUID();
        try (Database database = Database.open(directory, 2);
             Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            new Settings(database.dataSource()).replaceAll("outgoing.", Map.of("outgoing.host", "smtp.example.org"));
            statement.execute("INSERT INTO jd_template (name, subject, body, format, text_alt, updated_at) VALUES ('"
                    + template + "', 's', 'b', 'TEXT', '', CURRENT_TIMESTAMP)");
            // As the version before this history left a store: its tables, without the history or the kept counts'
            // tables and triggers (added by the last releases before it).
            for (String table : List.of("email", "delivery_attempt", "unqueued_batch")) {
                statement.execute("DROP TRIGGER jd_ledger_mark_trigger_" + table);
            }
            statement.execute("DROP TABLE jd_ledger_mark");
            statement.execute("DROP TABLE jd_schema_history");
        }

        try (Database database = Database.open(directory, 2)) {
            assertThat(history(database)).containsExactly("0 tables from before versioned migrations",
                    "1 jobdeck tables", "2 cluster hosts", "3 job keys on postgresql");
            assertThat(new Settings(database.dataSource()).readAll("outgoing.")).containsEntry("outgoing.host",
                    "smtp.example.org");
            try (Connection connection = database.dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM jd_template WHERE name = '" + template
                         + "'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
                try (ResultSet marks = connection.createStatement().executeQuery("SELECT COUNT(*) FROM jd_ledger_mark"
                        + " WHERE batch_id IS NULL AND email_id IS NULL AND job_id IS NULL")) {
                    marks.next();
                    assertThat(marks.getInt(1)).as("the kept counts are read whole once").isEqualTo(1);
                }
            }
        }
    }

    /** Version and description of each migration a history holds, resolved without a store (an empty H2 in memory). */
    private static List<String> resolved(SqlDialect dialect, String history) {
        JdbcDataSource empty = new JdbcDataSource();
        empty.setURL("jdbc:h2:mem:resolve-" + UUID.randomUUID());
        MigrationInfo[] all = Flyway.configure().dataSource(empty).locations(dialect.migrations(history))
                .failOnMissingLocations(true).load().info().all();
        return Arrays.stream(all).map(info -> info.getVersion() + " " + info.getDescription()).toList();
    }

    private static List<String> history(Database database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT \"version\", \"description\" FROM jd_schema_history"
                     + " WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getString(2));
            }
        }
        return rows;
    }
}
