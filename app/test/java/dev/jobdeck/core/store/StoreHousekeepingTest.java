package dev.jobdeck.core.store;

import dev.jobdeck.core.ConsoleServices;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With WRITE_DELAY=0 H2 runs no housekeeping of its own (decision 33): thousands of small commits leave chunks that
 * are mostly garbage but keep a live page, and the file only grows. A round of {@link StoreCompaction#housekeep}
 * rewrites those live pages, so the chunks' live share goes back up and their space is used again.
 */
class StoreHousekeepingTest {

    @TempDir
    Path temp;

    @Test
    void housekeepingRaisesTheLiveShareOfChunksThatManySmallCommitsLeft() throws Exception {
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(temp.resolve("data")),
                ConsoleServices.Options.storeOnly());
             Connection connection = services.parts().database().dataSource().getConnection()) {
            MVStore store = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                    .getMvStore();
            // Dead chunks are reused at once rather than after H2's 45 s: the test measures the rewrite, not the wait.
            store.setRetentionTime(0);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE churn (id INT PRIMARY KEY, payload VARCHAR(2000))");
                statement.execute("INSERT INTO churn SELECT X, REPEAT('x', 1000) FROM SYSTEM_RANGE(1, 2000)");
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE churn SET payload = ? WHERE id = ?")) {
                for (int i = 0; i < 3_000; i++) {
                    update.setString(1, "y".repeat(1000) + i);
                    update.setInt(2, 1 + (i * 7919) % 2000);
                    update.executeUpdate();
                }
            }
            int before = store.getFileStore().getChunksFillRate();
            assertThat(before).as("small commits leave chunks mostly garbage").isLessThan(StoreCompaction.HOUSEKEEPING_FILL_RATE);

            StoreCompaction housekeeper = new StoreCompaction(services.parts().database(), 0);
            boolean rewrote = false;
            for (int round = 0; round < 50 && store.getFileStore().getChunksFillRate() < StoreCompaction.HOUSEKEEPING_FILL_RATE;
                 round++) {
                rewrote |= housekeeper.housekeep();
                store.commit();
            }

            assertThat(rewrote).isTrue();
            assertThat(store.getFileStore().getChunksFillRate()).as("live share of the chunks, was %d %%", before)
                    .isGreaterThan(before + 10);
        }
    }
}
