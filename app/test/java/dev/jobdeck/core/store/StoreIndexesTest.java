package dev.jobdeck.core.store;

import dev.jobdeck.core.store.StoreIndexes.Column;
import dev.jobdeck.core.store.StoreIndexes.Index;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StoreIndexesTest {

    @TempDir
    Path temp;

    @Test
    void listsIndexesMadeWithCreateIndexWithTheirColumnsInOrderAndNotThoseOfKeysOrConstraints() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:" + temp.resolve("store"), "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT, c INT UNIQUE)");
            statement.execute("CREATE TABLE u (id INT PRIMARY KEY, t_id INT REFERENCES t (id), x INT)");
            statement.execute("CREATE UNIQUE INDEX t_b_a_idx ON t (b DESC, a)");
            statement.execute("CREATE INDEX t_a_idx ON t (a)");
            statement.execute("CREATE INDEX u_x_idx ON u (x)");

            List<Index> all = StoreIndexes.all(connection);

            Index tBA = new Index("T", "T_B_A_IDX", true, List.of(new Column("B", true), new Column("A", false)));
            Index tA = new Index("T", "T_A_IDX", false, List.of(new Column("A", false)));
            Index uX = new Index("U", "U_X_IDX", false, List.of(new Column("X", false)));
            assertThat(all).containsExactly(tA, tBA, uX);
            assertThat(StoreIndexes.of(connection, "T")).containsExactly(tA, tBA);
            assertThat(tBA.createStatement()).isEqualTo("CREATE UNIQUE INDEX \"T_B_A_IDX\" ON \"T\" (\"B\" DESC, \"A\")");

            for (Index index : all) {
                statement.execute(index.dropStatement());
            }
            assertThat(StoreIndexes.all(connection)).isEmpty();
            for (Index index : all) {
                statement.execute(index.createStatement());
            }
            assertThat(StoreIndexes.all(connection)).as("made again as they were").isEqualTo(all);
        }
    }
}
