package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.SqlDialect;
import dev.jobdeck.testsupport.StoreKind;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the door to JobRunr ({@code dev.jobdeck.core.jobs.jobrunr}) relies on in JobRunr's schema, read from the
 * catalogue of a store JobRunr itself migrated, on each database a store lives in ({@link H2JobRunrContractTest},
 * {@link PostgresJobRunrContractTest}): a JobRunr upgrade that renames a column, retypes it, drops an index a page reads
 * or adds a state fails here, by name, instead of in a query or a miscount at an operator's. What it relies on in
 * JobRunr's classes is {@link JobRunrHooksContractTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobRunrContract {

    private ConsoleServices store;

    protected abstract StoreKind kind();

    protected abstract Map<String, String> expectedColumns();

    @BeforeAll
    void open(@TempDir Path temp) throws Exception {
        store = kind().open(temp, ConsoleServices.Options.storeOnly());
    }

    @AfterAll
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void jobRunrsJobsTableHasEveryColumnJobDeckReadsWithItsType() throws Exception {
        Map<String, String> columns = new HashMap<>();
        query("SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE LOWER(TABLE_SCHEMA) = 'public'"
                + " AND LOWER(TABLE_NAME) = '" + JobRunrJobs.JOBS + "'", rows -> columns.put(upper(rows.getString(1)),
                upper(rows.getString(2))));

        assertThat(columns).containsAllEntriesOf(expectedColumns());
    }

    @Test
    void jobIdsAreTheTablesPrimaryKeySoAnIdOrItsStartIsALookup() throws Exception {
        List<String> key = new ArrayList<>();
        try (Connection connection = connection(); ResultSet rows = connection.getMetaData()
                .getPrimaryKeys(null, null, tableName(connection.getMetaData(), JobRunrJobs.JOBS))) {
            while (rows.next()) {
                key.add(upper(rows.getString("COLUMN_NAME")));
            }
        }
        assertThat(key).containsExactly("ID");
    }

    @Test
    void theIndexesThePagesReadAreOnJobRunrsTable() throws Exception {
        Map<String, List<String>> indexes = indexes();

        assertThat(indexes).containsEntry(JobRunrSchema.UPDATED_INDEX, List.of("UPDATEDAT", "ID"))
                .containsEntry(JobRunrSchema.STATE_UPDATED_INDEX, List.of("STATE", "UPDATEDAT", "ID"))
                .containsEntry(JobRunrSchema.ID_STATE_INDEX, List.of("ID", "STATE"));
    }

    @Test
    void theCountersTriggerWatchesEveryWriteToJobRunrsTable() throws Exception {
        List<String> events = new ArrayList<>();
        query("SELECT EVENT_MANIPULATION FROM INFORMATION_SCHEMA.TRIGGERS WHERE LOWER(EVENT_OBJECT_TABLE) = '"
                + JobRunrJobs.JOBS + "' AND LOWER(TRIGGER_NAME) = '" + JobRunrSchema.COUNT_TRIGGER + "'",
                rows -> events.add(upper(rows.getString(1))));

        assertThat(events).containsExactlyInAnyOrder("INSERT", "UPDATE", "DELETE");
    }

    @Test
    void jobRunrsOwnStatsViewCountsTheSameStates() throws Exception {
        List<String> columns = new ArrayList<>();
        query("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE LOWER(TABLE_NAME) = 'jobrunr_jobs_stats'",
                rows -> columns.add(upper(rows.getString(1))));

        assertThat(columns).containsAll(Arrays.stream(StateName.values()).map(Enum::name).toList());
    }

    @Test
    void jobRunrsOtherTablesThatAStoreMoveCopiesExist() throws Exception {
        List<String> tables = new ArrayList<>();
        query("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_SCHEMA) = 'public'",
                rows -> tables.add(rows.getString(1).toLowerCase(Locale.ROOT)));

        assertThat(tables).contains(JobRunrJobs.JOBS, JobRunrJobs.RECURRING_JOBS, JobRunrJobs.METADATA,
                JobRunrJobs.SERVERS);
    }

    @Test
    void theStoreIsAtTheLastMigrationOfTheJobRunrTheDoorWasWrittenFor() throws Exception {
        List<String> scripts = new ArrayList<>();
        query("SELECT script FROM jobrunr_migrations ORDER BY script", rows -> scripts.add(rows.getString(1)));

        assertThat(scripts).last().asString().startsWith(JobRunrJobs.LAST_MIGRATION);
    }

    /** Each index on JobRunr's jobs table by its name (lower case), with its columns in order (upper case). */
    protected Map<String, List<String>> indexes() throws SQLException {
        Map<String, TreeMap<Integer, String>> byIndex = new HashMap<>();
        try (Connection connection = connection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            try (ResultSet rows = metaData.getIndexInfo(null, null, tableName(metaData, JobRunrJobs.JOBS), false, false)) {
                while (rows.next()) {
                    if (rows.getString("INDEX_NAME") != null) {
                        byIndex.computeIfAbsent(rows.getString("INDEX_NAME").toLowerCase(Locale.ROOT), name -> new TreeMap<>())
                                .put(rows.getInt("ORDINAL_POSITION"), upper(rows.getString("COLUMN_NAME")));
                    }
                }
            }
        }
        Map<String, List<String>> indexes = new HashMap<>();
        byIndex.forEach((name, columns) -> indexes.put(name, List.copyOf(columns.values())));
        return indexes;
    }

    protected SqlDialect dialect() throws SQLException {
        try (Connection connection = connection()) {
            return SqlDialect.of(connection);
        }
    }

    private static String tableName(DatabaseMetaData metaData, String name) throws SQLException {
        return metaData.storesUpperCaseIdentifiers() ? upper(name) : name;
    }

    private static String upper(String text) {
        return text.toUpperCase(Locale.ROOT);
    }

    private interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    private Connection connection() throws SQLException {
        return store.parts().database().dataSource().getConnection();
    }

    private void query(String sql, RowReader reader) throws SQLException {
        try (Connection connection = connection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                reader.read(rows);
            }
        }
    }
}
