package dev.jobdeck.bench;

import dev.jobdeck.core.jobs.RetentionPass;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Not a test: {@code bench/settle.sh DATA_DIR...} runs it. The first settlement after an upgrade (decision 26), on
 * generated stores (see {@code bench/generate-store.sh}): settling is undone ({@code settled_at} cleared,
 * {@code jd_ledger_total} emptied), then settled by the pass as it was (row by row, 2,000 e-mails a commit: the
 * baseline) and, undone again, by {@link RetentionPass#settle} now; each time the totals must read as the generator
 * wrote them. Changes the store (its e-mails are settled anew); use a generated one, which has nothing purged.
 */
public final class SettleBench {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("Usage: bench/settle.sh DATA_DIR...");
            System.exit(2);
        }
        System.out.println("| store | e-mails | settled | undoing it | row by row, 2,000 a commit (before) | set-based (now)"
                + " | ratio before / now (wall; CPU) | totals as written |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String arg : args) {
            Path dir = Path.of(arg);
            DataSource dataSource = dataSource(dir);
            List<String> written = totals(dataSource);
            double undo = unsettle(dataSource);
            long start = System.nanoTime();
            long cpu = cpu();
            long before = settleRowByRow(dataSource);
            double rowByRow = (System.nanoTime() - start) / 1e9;
            double rowByRowCpu = (cpu() - cpu) / 1e9;
            boolean sameBefore = totals(dataSource).equals(written);
            unsettle(dataSource);
            start = System.nanoTime();
            cpu = cpu();
            long now = RetentionPass.settle(dataSource, Clock.systemUTC());
            double setBased = (System.nanoTime() - start) / 1e9;
            double setBasedCpu = (cpu() - cpu) / 1e9;
            boolean sameNow = totals(dataSource).equals(written);
            System.out.printf("| %s | %,d | %,d | %.1f s | %.1f s (CPU %.1f s) | %.1f s (CPU %.1f s) | %.1f; %.1f | %s |%n",
                    dir.getFileName(), count(dataSource, "SELECT COUNT(*) FROM jd_email"), now, undo, rowByRow,
                    rowByRowCpu, setBased, setBasedCpu, rowByRow / setBased, rowByRowCpu / setBasedCpu,
                    sameBefore && sameNow && before == now ? "yes, both" : "NO: before " + before + " " + sameBefore
                            + ", now " + now + " " + sameNow);
        }
    }

    /** CPU time of this process (H2 runs in it), in nanoseconds: less at the mercy of other processes than wall time. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static DataSource dataSource(Path dir) throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:" + dir.toAbsolutePath() + "/jobdeck");
        dataSource.setUser("jobdeck");
        dataSource.setPassword(Files.readString(dir.resolve("db.password")).strip());
        return dataSource;
    }

    /** What an upgraded store holds: nothing settled, no totals. Seconds taken. */
    private static double unsettle(DataSource dataSource) throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE jd_email SET settled_at = NULL WHERE settled_at IS NOT NULL");
            statement.executeUpdate("DELETE FROM jd_ledger_total");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static List<String> totals(DataSource dataSource) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT batch_id, accepted, delivered, succeeded, deleted, purged,"
                     + " re_executed FROM jd_ledger_total ORDER BY batch_id")) {
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= 7; column++) {
                    row.append(result.getString(column)).append(',');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    // ---- the baseline: RetentionPass.settle before it was set-based (its SQL inlined), unchanged otherwise

    private static final UUID EVERYTHING = new UUID(0, 0);
    private static final int CHUNK = 2_000;

    private static long settleRowByRow(DataSource dataSource) throws SQLException {
        String candidates = "SELECT e.id, e.batch_id FROM jd_email e LEFT JOIN jobrunr_jobs j USE INDEX"
                + " (jd_jobs_id_state_idx) ON j.id = e.job_id WHERE e.settled_at IS NULL AND e.kind IN ('ONE_OFF',"
                + " 'RECURRING_RUN') AND (j.id IS NULL OR j.state = 'SUCCEEDED') AND EXISTS (SELECT 1 FROM"
                + " jd_delivery_attempt a WHERE a.email_id = e.id AND a.outcome = 'SENT') LIMIT " + CHUNK;
        long total = 0;
        while (true) {
            int settled;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    Map<UUID, UUID> batchOf = new HashMap<>();
                    try (PreparedStatement query = connection.prepareStatement(candidates);
                         ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            batchOf.put(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class));
                        }
                    }
                    Map<UUID, Long> perBatch = new HashMap<>();
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE jd_email SET settled_at = ? WHERE id = ? AND settled_at IS NULL")) {
                        update.setObject(1, Clock.systemUTC().instant().atOffset(ZoneOffset.UTC));
                        for (Map.Entry<UUID, UUID> email : batchOf.entrySet()) {
                            update.setObject(2, email.getKey());
                            if (update.executeUpdate() == 1) {
                                count(perBatch, email.getValue());
                            }
                        }
                    }
                    add(connection, "accepted", perBatch);
                    add(connection, "delivered", perBatch);
                    add(connection, "succeeded", perBatch);
                    connection.commit();
                    settled = batchOf.size();
                    total += perBatch.getOrDefault(EVERYTHING, 0L);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
            if (settled < CHUNK) {
                return total;
            }
        }
    }

    private static void add(Connection connection, String column, Map<UUID, Long> amounts) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE jd_ledger_total SET " + column + " = " + column + " + ? WHERE batch_id = ?");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO jd_ledger_total (batch_id, " + column + ") VALUES (?, ?)")) {
            for (Map.Entry<UUID, Long> amount : amounts.entrySet()) {
                update.setLong(1, amount.getValue());
                update.setObject(2, amount.getKey());
                if (update.executeUpdate() == 0) {
                    insert.setObject(1, amount.getKey());
                    insert.setLong(2, amount.getValue());
                    insert.executeUpdate();
                }
            }
        }
    }

    private static void count(Map<UUID, Long> amounts, UUID batch) {
        if (batch != null) {
            amounts.merge(batch, 1L, Long::sum);
        }
        amounts.merge(EVERYTHING, 1L, Long::sum);
    }
}
