package dev.jobdeck.core.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Group commit's threads, on H2. What a failing write leaves of the shared transaction is in {@link StoreContract}, on H2
 * and PostgreSQL.
 */
class GroupCommitTest {

    @TempDir
    Path temp;

    private Database database;
    private GroupCommit writes;
    private ExecutorService threads;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(new DataDirectory(temp), 24);
        writes = database.groupCommit();
        threads = Executors.newFixedThreadPool(20);
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
        }
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        database.close();
    }

    @Test
    void everyWriteIsCommittedWhenItsCallReturns() throws Exception {
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                int seen = 0;
                for (int i = 0; i < 100; i++) {
                    int id = thread * 1000 + i;
                    int written = writes.run(connection -> insert(connection, id, "v"));
                    assertThat(written).isEqualTo(1);
                    // Another connection sees the row at once: run returned after the commit, not before.
                    seen += count("SELECT COUNT(*) FROM t WHERE id = " + id);
                }
                return seen;
            }));
        }
        for (Future<Integer> each : done) {
            assertThat(each.get(60, TimeUnit.SECONDS)).isEqualTo(100);
        }
        assertThat(count("SELECT COUNT(*) FROM t")).isEqualTo(1600);
        assertThat(writes.counts()[1]).isEqualTo(1600);
    }

    @Test
    void writesHandedInDuringACommitShareTheNextOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> first = committingUntil(release, 0, "first");
        List<Future<Integer>> others = new ArrayList<>();
        for (int id = 1; id <= 10; id++) {
            int row = id;
            others.add(threads.submit(() -> writes.run(connection -> insert(connection, row, "other"))));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> writes.waiting() == 10);
        release.countDown();
        first.get(20, TimeUnit.SECONDS);
        for (Future<Integer> each : others) {
            each.get(20, TimeUnit.SECONDS);
        }
        assertThat(writes.counts()).containsExactly(2, 11);
        assertThat(count("SELECT COUNT(*) FROM t")).isEqualTo(11);
    }

    @Test
    void aWriteThatFailsAloneLeavesNothingBehind() throws Exception {
        assertThatThrownBy(() -> writes.run(connection -> {
            insert(connection, 5, "half");
            throw new IllegalStateException("stopped halfway");
        })).isInstanceOf(IllegalStateException.class).hasMessage("stopped halfway");
        assertThat(count("SELECT COUNT(*) FROM t")).isZero();
        // The connection went back to the pool in auto-commit mode, ready for the next write.
        int written = writes.run(connection -> insert(connection, 5, "whole"));
        assertThat(written).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM t WHERE v = 'whole'")).isEqualTo(1);
    }

    /**
     * A write that inserts row {@code id} inside a commit and holds that commit open until {@code release}:
     * returns once the commit is under way, so writes handed in from then on wait for the next one.
     */
    private Future<Integer> committingUntil(CountDownLatch release, int id, String value) throws InterruptedException {
        CountDownLatch inCommit = new CountDownLatch(1);
        Future<Integer> write = threads.submit(() -> writes.run(connection -> {
            inCommit.countDown();
            awaitUninterruptibly(release);
            return insert(connection, id, value);
        }));
        inCommit.await();
        return write;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int insert(Connection connection, int id, String value) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
            insert.setInt(1, id);
            insert.setString(2, value);
            return insert.executeUpdate();
        }
    }

    private int count(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
