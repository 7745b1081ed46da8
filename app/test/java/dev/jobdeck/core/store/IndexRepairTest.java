package dev.jobdeck.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IndexRepairTest {

    @TempDir
    Path temp;

    @Test
    void rebuildsEverySecondaryIndexWithItsColumnsAndUniquenessAndLeavesPrimaryKeysAlone() throws Exception {
        try (Database database = Database.open(new DataDirectory(temp), 2)) {
            List<String> before = indexes(database);
            int rebuilt = IndexRepair.rebuildSecondaryIndexes(database.dataSource());

            assertThat(rebuilt).isEqualTo((int) before.stream().filter(i -> i.contains("|INDEX|")
                    || i.contains("|UNIQUE INDEX|")).map(i -> i.split("\\|")[0]).distinct().count()).isPositive();
            assertThat(indexes(database)).containsExactlyElementsOf(before);
        }
    }

    @Test
    void aCleanCloseIsRememberedSoTheNextOpenSkipsTheRepair() throws Exception {
        DataDirectory directory = new DataDirectory(temp);
        Database.open(directory, 2).close();
        try (Database reopened = Database.open(directory, 2)) {
            assertThat(reopened.recoveredFromUncleanShutdown()).isFalse();
        }
    }

    private static List<String> indexes(Database database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT i.INDEX_NAME, i.INDEX_TYPE_NAME, c.COLUMN_NAME,"
                     + " c.ORDERING_SPECIFICATION FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c"
                     + " ON c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME WHERE i.TABLE_SCHEMA = 'PUBLIC'"
                     + " ORDER BY i.INDEX_NAME, c.ORDINAL_POSITION")) {
            while (result.next()) {
                rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getString(3) + "|" + result.getString(4));
            }
        }
        return rows;
    }
}
