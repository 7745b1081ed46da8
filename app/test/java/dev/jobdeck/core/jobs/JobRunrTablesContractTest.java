package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link JobRunrTables} relies on in JobRunr's schema, read from INFORMATION_SCHEMA of a store JobRunr itself
 * migrated: a JobRunr upgrade that renames a column, retypes it, drops the index a page reads or adds a state fails
 * here, by name, instead of in a query or a miscount at an operator's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobRunrTablesContractTest {

    private ConsoleServices store;

    @BeforeAll
    void open(@TempDir Path temp) throws Exception {
        store = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly());
    }

    @AfterAll
    void close() {
        store.close();
    }

    @Test
    void jobRunrsJobsTableHasEveryColumnJobDeckReadsWithItsType() throws Exception {
        Map<String, String> columns = new HashMap<>();
        query("SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC'"
                + " AND TABLE_NAME = 'JOBRUNR_JOBS'", rows -> columns.put(rows.getString(1), rows.getString(2)));

        assertThat(columns).containsAllEntriesOf(JobRunrTables.COLUMNS_RELIED_ON);
    }

    @Test
    void jobIdsAreTheTablesPrimaryKeySoAnIdOrItsStartIsALookup() throws Exception {
        assertThat(indexColumns("PRIMARY KEY")).contains(List.of("ID"));
    }

    @Test
    void thePagesIndexesAreOnJobRunrsTable() throws Exception {
        assertThat(indexColumns("INDEX")).contains(List.of("UPDATEDAT", "ID"), List.of("STATE", "UPDATEDAT", "ID"),
                List.of("ID", "STATE"));
    }

    @Test
    void theCountersTriggerWatchesEveryWriteToJobRunrsTable() throws Exception {
        List<String> events = new ArrayList<>();
        query("SELECT EVENT_MANIPULATION FROM INFORMATION_SCHEMA.TRIGGERS WHERE EVENT_OBJECT_TABLE = 'JOBRUNR_JOBS'"
                + " AND TRIGGER_NAME = 'JD_JOB_COUNT_TRIGGER'", rows -> events.add(rows.getString(1)));

        assertThat(events).containsExactlyInAnyOrder("INSERT", "UPDATE", "DELETE");
    }

    @Test
    void jobRunrsStatesAreTheOnesJobDeckCountsAndReports() {
        assertThat(StateName.values()).as("a state JobRunr adds must be placed in the counts and the survival report")
                .containsExactlyInAnyOrderElementsOf(JobRunrTables.KNOWN_STATES);
        assertThat(Set.copyOf(JobRunrTables.PENDING)).contains(StateName.AWAITING);
    }

    @Test
    void jobRunrsOwnStatsViewCountsTheSameStates() throws Exception {
        List<String> columns = new ArrayList<>();
        query("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'JOBRUNR_JOBS_STATS'",
                rows -> columns.add(rows.getString(1)));

        assertThat(columns).containsAll(Arrays.stream(StateName.values()).map(Enum::name).toList());
    }

    @Test
    void theStoreIsAtJobRunrsLastMigration() throws Exception {
        List<String> scripts = new ArrayList<>();
        query("SELECT script FROM jobrunr_migrations ORDER BY script", rows -> scripts.add(rows.getString(1)));

        assertThat(scripts).last().asString().startsWith("v016__");
    }

    private List<List<String>> indexColumns(String type) throws SQLException {
        Map<String, List<String>> byIndex = new HashMap<>();
        query("SELECT i.INDEX_NAME, c.COLUMN_NAME FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c"
                + " ON c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME WHERE i.TABLE_NAME = 'JOBRUNR_JOBS'"
                + " AND i.INDEX_TYPE_NAME = '" + type + "' ORDER BY i.INDEX_NAME, c.ORDINAL_POSITION",
                rows -> byIndex.computeIfAbsent(rows.getString(1), name -> new ArrayList<>()).add(rows.getString(2)));
        return List.copyOf(byIndex.values());
    }

    private interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    private void query(String sql, RowReader reader) throws SQLException {
        try (Connection connection = store.database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                reader.read(rows);
            }
        }
    }

    /**
     * One door (issue 16): JobRunr's tables are named in SQL only by {@link JobRunrTables} and by the storage provider
     * that extends JobRunr's own SQL ({@link IndexOrderedH2StorageProvider}); anyone else asks them.
     */
    @Test
    void noOtherMainClassNamesJobRunrsTables() throws Exception {
        List<String> offenders = new ArrayList<>();
        try (var files = java.nio.file.Files.walk(Path.of("app/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = file.getFileName().toString();
                if (name.equals("JobRunrTables.java") || name.equals("IndexOrderedH2StorageProvider.java")) {
                    continue;
                }
                if (java.nio.file.Files.readString(file).toLowerCase(java.util.Locale.ROOT).contains("jobrunr_")) {
                    offenders.add(name);
                }
            }
        }
        assertThat(offenders).as("classes naming JobRunr's tables outside JobRunrTables").isEmpty();
    }
}
