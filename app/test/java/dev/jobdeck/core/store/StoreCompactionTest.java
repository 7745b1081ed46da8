package dev.jobdeck.core.store;

import dev.jobdeck.testsupport.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Online compaction (decision 26) of a real H2 file, with connections open as a serving console has them. */
class StoreCompactionTest {

    @TempDir
    Path temp;

    @Slow
    @Test
    void compactionShrinksTheFileWhileAnotherConnectionStaysOpen() throws Exception {
        try (Database database = Database.open(new DataDirectory(temp.resolve("data")), 4);
             Connection held = database.dataSource().getConnection()) {
            fillAndEmpty(database, 4_000);
            StoreCompaction compaction = new StoreCompaction(database, 0);
            long before = compaction.sizeOnDisk();

            StoreCompaction.Result result = compaction.compact(Duration.ofSeconds(60));

            assertThat(result.ran()).isTrue();
            assertThat(result.bytesAfter()).as("from %d bytes", before).isLessThan(before / 2);
            assertThat(compaction.sizeOnDisk()).isEqualTo(result.bytesAfter());
            assertThat(count(held)).as("the connection held meanwhile still reads").isEqualTo(400);
        }
    }

    @Test
    void compactionIsSkippedWhenTheDiskHasNoRoomForItBeyondTheReserve() throws Exception {
        try (Database database = Database.open(new DataDirectory(temp.resolve("data")), 4)) {
            fillAndEmpty(database, 1_000);
            long free = temp.toFile().getUsableSpace();
            StoreCompaction compaction = new StoreCompaction(database, free);
            long before = compaction.sizeOnDisk();

            StoreCompaction.Result result = compaction.compact(Duration.ofSeconds(10));

            assertThat(result.ran()).isFalse();
            assertThat(result.skipped()).contains("MB free");
            assertThat(compaction.sizeOnDisk()).isEqualTo(before);
        }
    }

    @Slow
    @Test
    void aDiskThatFillsDuringCompactionLeavesTheStoreReadable() throws Exception {
        assumeRoot();
        Path disk = Files.createDirectories(temp.resolve("disk"));
        run("mount", "-t", "tmpfs", "-o", "size=128m", "tmpfs", disk.toString());
        try {
            DataDirectory directory = new DataDirectory(disk.resolve("data"));
            Database database = Database.open(directory, 4);
            fillAndEmpty(database, 800);
            fill(disk.resolve("filler"), 2L * 1024 * 1024);
            // No reserve and no room asked for: the slices write until the disk is full.
            try {
                new StoreCompaction(database, -StoreCompaction.SLICE_WRITES).compact(Duration.ofSeconds(30));
            } catch (SQLException expected) {
                // H2 closes its store when a chunk write fails; what matters is the file.
            }
            try {
                database.close();
            } catch (RuntimeException closingAClosedStore) {
                // Closing a store H2 already closed may fail too.
            }
            Files.delete(disk.resolve("filler"));
            try (Database reopened = Database.open(directory, 2); Connection connection = reopened.dataSource().getConnection()) {
                assertThat(count(connection)).isEqualTo(80);
            }
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    /** Writes {@code rows} rows of 10 KB and deletes nine in ten, leaving a sparse file. */
    private static void fillAndEmpty(Database database, int rows) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE filler (id INT PRIMARY KEY, payload VARCHAR(20000))");
            sql.execute("INSERT INTO filler SELECT X, REPEAT(CAST(RANDOM_UUID() AS VARCHAR), 280) FROM SYSTEM_RANGE(1, "
                    + rows + ")");
            sql.execute("DELETE FROM filler WHERE MOD(id, 10) <> 0");
            sql.execute("CHECKPOINT");
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM filler")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Fills the disk up to {@code leave} bytes. */
    private static void fill(Path filler, long leave) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (filler.getParent().toFile().getUsableSpace() > leave + block.length) {
                out.write(block);
            }
        }
    }

    private static void assumeRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        id.waitFor();
        assumeThat(uid).as("this test mounts a file system, which needs root (CI runs as root)").isEqualTo("0");
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
