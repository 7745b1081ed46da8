package dev.jobdeck.core.store;

import dev.jobdeck.testsupport.StoreGenerator;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.db.MVIndex;
import org.h2.result.Row;
import org.h2.table.Table;
import org.h2.value.Value;
import org.h2.value.ValueVarchar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class IndexRepairTest {

    /** JobRunr's index on its jobs' state, the one decision 4 saw disagree with the rows. */
    private static final String STATE_INDEX = "JOBRUNR_STATE_IDX";

    @TempDir
    Path temp;

    /** How an index can disagree with its table after a crash. */
    enum Damage {
        /** The entry of a Succeeded job still says Processing (decision 4). */
        STALE_ENTRY,
        /** A row has no entry in the index. */
        MISSING_ENTRY
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void anIndexThatDisagreesWithItsTableIsRebuiltAtTheNextOpenAndTheOthersAreLeftAlone(Damage damage) throws Exception {
        DataDirectory directory = generatedStore();
        damage(directory, damage);
        Map<String, Integer> before = indexIds(directory);
        assertThat(statesByIndex(directory)).as("the damage is real").isNotEqualTo(statesByRows(directory));
        markInUseAsACrashLeavesIt(directory);

        try (Database reopened = Database.open(directory, 2)) {
            assertThat(reopened.recoveredFromUncleanShutdown()).isTrue();
        }

        assertThat(statesByIndex(directory)).isEqualTo(statesByRows(directory));
        Map<String, Integer> after = indexIds(directory);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after.get(STATE_INDEX)).as("rebuilt").isNotEqualTo(before.get(STATE_INDEX));
        before.remove(STATE_INDEX);
        after.remove(STATE_INDEX);
        assertThat(after).as("left alone").isEqualTo(before);
    }

    @Test
    void indexesThatAgreeWithTheirTablesAreLeftAloneAfterAnUncleanShutdown() throws Exception {
        DataDirectory directory = generatedStore();
        Map<String, Integer> before = indexIds(directory);
        List<StoreIndexes.Index> definitions = indexDefinitions(directory);
        markInUseAsACrashLeavesIt(directory);

        try (Database reopened = Database.open(directory, 2)) {
            assertThat(reopened.recoveredFromUncleanShutdown()).isTrue();
        }

        assertThat(indexIds(directory)).isEqualTo(before).containsKey(STATE_INDEX);
        assertThat(indexDefinitions(directory)).isEqualTo(definitions);
    }

    @Test
    void aRebuiltIndexKeepsItsColumnsOrderingAndUniqueness() throws Exception {
        DataDirectory directory = generatedStore();
        List<StoreIndexes.Index> definitions = indexDefinitions(directory);
        int before = indexIds(directory).get("JD_EMAIL_JOB_IDX");
        damageUniqueEmailIndex(directory);
        markInUseAsACrashLeavesIt(directory);

        try (Database reopened = Database.open(directory, 2)) {
            assertThat(reopened.recoveredFromUncleanShutdown()).isTrue();
        }

        assertThat(indexIds(directory).get("JD_EMAIL_JOB_IDX")).as("rebuilt").isNotEqualTo(before);
        assertThat(indexDefinitions(directory)).isEqualTo(definitions);
    }

    @Test
    void aCleanCloseIsRememberedSoTheNextOpenSkipsTheRepair() throws Exception {
        DataDirectory directory = new DataDirectory(temp);
        Database.open(directory, 2).close();
        try (Database reopened = Database.open(directory, 2)) {
            assertThat(reopened.recoveredFromUncleanShutdown()).isFalse();
        }
    }

    private DataDirectory generatedStore() throws Exception {
        StoreGenerator.generate(temp, 300, 1, StoreGenerator.Mix.realistic(), written -> { });
        return new DataDirectory(temp);
    }

    private static Connection connect(DataDirectory directory) throws Exception {
        return DriverManager.getConnection("jdbc:h2:" + directory.databaseName(), "jobdeck", directory.databasePassword());
    }

    /**
     * Writes the damage into the index itself through H2's own index API, on the closed store's file: the table's rows
     * stay as they are, as a crash between the two writes would leave them.
     */
    private static void damage(DataDirectory directory, Damage damage) throws Exception {
        try (Connection connection = connect(directory)) {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            Table jobs = session.getDatabase().getSchema("PUBLIC").getTableOrView(session, "JOBRUNR_JOBS");
            Index index = jobs.getIndex(STATE_INDEX);
            int state = jobs.getColumn("STATE").getColumnId();
            Row succeeded = firstRow(session, jobs, row -> row.getValue(state).getString().equals("SUCCEEDED"));
            index.remove(session, succeeded);
            if (damage == Damage.STALE_ENTRY) {
                Value[] values = succeeded.getValueList().clone();
                values[state] = ValueVarchar.get("PROCESSING");
                Row stale = jobs.createRow(values, succeeded.getMemory());
                stale.setKey(succeeded.getKey());
                index.add(session, stale);
            }
            session.commit(false);
        }
    }

    /** Removes the entry of the first e-mail from the unique index on jd_email (job_id). */
    private static void damageUniqueEmailIndex(DataDirectory directory) throws Exception {
        try (Connection connection = connect(directory)) {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            Table emails = session.getDatabase().getSchema("PUBLIC").getTableOrView(session, "JD_EMAIL");
            emails.getIndex("JD_EMAIL_JOB_IDX").remove(session, firstRow(session, emails, row -> true));
            session.commit(false);
        }
    }

    private static Row firstRow(SessionLocal session, Table table, java.util.function.Predicate<Row> wanted) {
        Cursor cursor = table.getScanIndex(session).find(session, null, null, false);
        while (cursor.next()) {
            Row row = cursor.get();
            if (wanted.test(row)) {
                return row;
            }
        }
        throw new AssertionError("no such row in " + table.getName());
    }

    private static void markInUseAsACrashLeavesIt(DataDirectory directory) throws Exception {
        try (Connection connection = connect(directory); Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE jd_setting SET setting_value = 'true' WHERE name = 'store.inUse'"))
                    .isEqualTo(1);
        }
    }

    /**
     * Every secondary index's MVStore map id: dropping and recreating an index gives it a new map, with a new id (H2's
     * object ids, by contrast, are reused).
     */
    private static Map<String, Integer> indexIds(DataDirectory directory) throws Exception {
        Map<String, Integer> ids = new TreeMap<>();
        try (Connection connection = connect(directory)) {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            for (Table table : session.getDatabase().getSchema("PUBLIC").getAllTablesAndViews(session)) {
                for (Index index : table.getIndexes()) {
                    if (index instanceof MVIndex<?, ?> stored && !index.getIndexType().isScan()) {
                        ids.put(index.getName(), stored.getMVMap().getId());
                    }
                }
            }
        }
        return ids;
    }

    /** Jobs per state as the state index lists them (read from the index alone) ... */
    private static Map<String, Long> statesByIndex(DataDirectory directory) throws Exception {
        return states(directory, "USE INDEX (" + STATE_INDEX + ")");
    }

    /** ... and as the rows say. */
    private static Map<String, Long> statesByRows(DataDirectory directory) throws Exception {
        return states(directory, "USE INDEX ()");
    }

    private static Map<String, Long> states(DataDirectory directory, String hint) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = connect(directory); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT state, COUNT(*) FROM jobrunr_jobs " + hint
                     + " WHERE state IS NOT NULL GROUP BY state")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    private static List<StoreIndexes.Index> indexDefinitions(DataDirectory directory) throws Exception {
        try (Connection connection = connect(directory)) {
            return StoreIndexes.all(connection);
        }
    }
}
