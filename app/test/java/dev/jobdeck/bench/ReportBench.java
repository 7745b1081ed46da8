package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreCompaction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The survival report on a store of N e-mails, one JobRunr job each (as {@code delivery.batchSize 1} makes them):
 * 96 % delivered and succeeded, 2 % failed, 1 % enqueued, 1 % scheduled, 0.2 % with a second attempt, 0.05 % of
 * them accepted twice. Measured, on the same store in the same run: the ledger query as it was before decision 26
 * (every e-mail read: the baseline), the report now before the delivered e-mails settle (the first run after an
 * upgrade), the first settlement, the report after it (each after a write, so H2 cannot hand back its last result),
 * {@code jobdeck report --json} as a user runs it (the second of two runs), and the store's online compaction.
 *
 * <p>The ledger as it was before is run once (minutes at 1,000,000); the rest is the median of three runs.
 *
 * <p>The store is filled with SQL (rows shaped as JobDeck and JobRunr write them) until the team's StoreGenerator
 * lands; only the columns the report reads matter here.
 */
public final class ReportBench {

    private static final int RUNS = 3;

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).map(Integer::parseInt).toList()
                : List.of(100_000, 1_000_000);
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("jobdeck-report-bench");
        int settleFrom = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        System.out.println("| e-mails | ledger before 26 (every e-mail) | report now, nothing settled | first settlement"
                + " | report now, settled | ratio before / settled | `report --json` (whole process; `--version`: JVM alone)"
                + " | store MB, compacted (time) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int size : sizes) {
            Path dir = work.resolve("store-" + size);
            Row row = measure(dir, size, settleFrom);
            System.out.printf("| %,d | %d ms | %s | %s | %d ms | %.0f | %d ms (%d ms) | %d → %d (%d ms) |%n", size,
                    row.before, row.unsettled < 0 ? "(written settled)" : row.unsettled + " ms",
                    row.settle < 0 ? "(written settled)" : row.settle + " ms", row.settled,
                    (double) row.before / Math.max(1, row.settled), row.cli, row.cliVersion, row.storeMb,
                    row.compactedMb, row.compact);
        }
    }

    private record Row(long storeMb, long compactedMb, long compact, long before, long unsettled, long settle,
                       long settled, long cli, long cliVersion) {
    }

    /** The counts the fill writes: what the report must say, settled or not. */
    private static SurvivalReport.Ledger generated(int size) {
        long delivered = 0;
        long failed = 0;
        long pending = 0;
        long twice = 0;
        for (int n = 1; n <= size; n++) {
            int mod = n % 100;
            if (mod < 96) {
                delivered++;
                if (n % 2000 == 0) {
                    twice++;
                }
            } else if (mod < 98) {
                failed++;
            } else {
                pending++;
            }
        }
        return new SurvivalReport.Ledger(size, delivered, delivered, failed, 0, pending, 0, twice, 0);
    }

    private static Row measure(Path dir, int size, int settleFrom) throws Exception {
        DataDirectory directory = new DataDirectory(dir);
        long before;
        long unsettled;
        long settle;
        long settled;
        long storeMb;
        long compact;
        long compactedMb;
        SurvivalReport.Ledger expected;
        boolean presettled = size >= settleFrom;
        try (ConsoleServices services = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
            fill(services, size, presettled);
            // Once: at 1,000,000 a run takes minutes, and the report before this decision ran it once per call too.
            before = once(() -> oldLedger(services));
            unsettled = presettled ? -1 : median(services, () -> services.parts().reports().report(Optional.empty(), 50));
            expected = presettled ? generated(size) : services.parts().reports().ledger(Optional.empty());
            long start = System.nanoTime();
            services.parts().retentionPass().run();
            settle = presettled ? -1 : millisSince(start);
            settled = median(services, () -> services.parts().reports().report(Optional.empty(), 50));
            SurvivalReport.Ledger after = services.parts().reports().ledger(Optional.empty());
            if (!after.equals(expected)) {
                throw new IllegalStateException("the report changed when e-mails settled: " + expected + " / " + after);
            }
            storeMb = Files.size(dir.resolve("jobdeck.mv.db")) / (1024 * 1024);
            start = System.nanoTime();
            StoreCompaction.Result compacted = StoreCompaction.compactNow(services.parts().database());
            compact = millisSince(start);
            compactedMb = compacted.bytesAfter() / (1024 * 1024);
        }
        cliReport(dir);
        long cli = cliReport(dir);
        long cliVersion = cli(dir, "--version");
        return new Row(storeMb, compactedMb, compact, before, unsettled, settle, settled, cli, cliVersion);
    }

    /**
     * Fills the store in commits of {@link #FILL_CHUNK} rows (one commit of a million rows makes H2 write gigabytes).
     * Pre-settled: the delivered e-mails are written settled, with the totals the retention pass would have written
     * (the settlement itself is measured at the smaller sizes; at a million it takes longer than this bench can wait).
     */
    private static void fill(ConsoleServices services, int size, boolean presettled) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE bench_ids (n BIGINT PRIMARY KEY, id UUID NOT NULL)");
            for (int from = 1; from <= size; from += FILL_CHUNK) {
                String range = " FROM bench_ids WHERE n BETWEEN " + from + " AND " + (from + FILL_CHUNK - 1);
                sql.execute("INSERT INTO bench_ids SELECT X, RANDOM_UUID() FROM SYSTEM_RANGE(" + from + ", "
                        + Math.min(size, from + FILL_CHUNK - 1) + ")");
                sql.execute("INSERT INTO jobrunr_jobs (id, version, jobAsJson, jobSignature, state, createdAt, updatedAt,"
                        + " scheduledAt) SELECT CAST(id AS VARCHAR), 1, '{}', 'dev.jobdeck.core.jobs.EmailJob.deliver(java.util.UUID)',"
                        + " CASE WHEN MOD(n, 100) < 96 THEN 'SUCCEEDED' WHEN MOD(n, 100) < 98 THEN 'FAILED'"
                        + " WHEN MOD(n, 100) = 98 THEN 'ENQUEUED' ELSE 'SCHEDULED' END,"
                        + " LOCALTIMESTAMP, LOCALTIMESTAMP, NULL" + range);
                sql.execute("INSERT INTO jd_email (id, kind, job_id, batch_id, from_addr, to_addr, subject, body, created_at,"
                        + " settled_at) SELECT id, 'ONE_OFF', CAST(id AS VARCHAR), " + BATCH + ", 'sender@jobdeck.test',"
                        + " 'user' || n || '@example.org', 'Hello', 'Body text', CURRENT_TIMESTAMP, "
                        + (presettled ? "CASE WHEN MOD(n, 100) < 96 THEN CURRENT_TIMESTAMP END" : "NULL") + range);
                sql.execute("INSERT INTO jd_delivery_attempt (job_id, attempt, email_id, host, started_at, finished_at,"
                        + " outcome, smtp_code, smtp_reply, message_id) SELECT CAST(id AS VARCHAR), 1, id, 'console-1',"
                        + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CASE WHEN MOD(n, 100) < 96 THEN 'SENT' WHEN MOD(n, 100) < 98"
                        + " THEN 'PERMANENT_FAILURE' ELSE 'TRANSIENT_FAILURE' END, 250, '250 OK', '<' || id || '@jobdeck>'"
                        + range + " AND (MOD(n, 100) < 98 OR MOD(n, 1000) = 998)");
                sql.execute("INSERT INTO jd_delivery_attempt (job_id, attempt, email_id, host, started_at, finished_at,"
                        + " outcome, smtp_code, smtp_reply, message_id) SELECT CAST(id AS VARCHAR), 2, id, 'worker-1',"
                        + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CASE WHEN MOD(n, 2000) = 0 THEN 'SENT' ELSE 'TRANSIENT_FAILURE'"
                        + " END, 250, '250 OK', '<' || id || '@jobdeck>'" + range + " AND MOD(n, 500) = 0");
            }
            if (presettled) {
                sql.execute("INSERT INTO jd_ledger_total (batch_id, accepted, delivered, succeeded) SELECT b, COUNT(*),"
                        + " COUNT(*), COUNT(*) FROM (SELECT " + BATCH + " AS b FROM bench_ids WHERE MOD(n, 100) < 96) x"
                        + " GROUP BY b");
                sql.execute("INSERT INTO jd_ledger_total (batch_id, accepted, delivered, succeeded) SELECT"
                        + " CAST('00000000-0000-0000-0000-000000000000' AS UUID), COUNT(*), COUNT(*), COUNT(*)"
                        + " FROM bench_ids WHERE MOD(n, 100) < 96");
            }
            sql.execute("DROP TABLE bench_ids");
        }
    }

    private static final int FILL_CHUNK = 50_000;
    /** 10,000 e-mails per batch, as ten sends of a CSV would make. */
    private static final String BATCH = "CAST('00000000-0000-4000-8000-' || LPAD(CAST(n / 10000 AS VARCHAR), 12, '0')"
            + " AS UUID)";

    @FunctionalInterface
    private interface Work {
        Object run() throws Exception;
    }

    private static long once(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return millisSince(start);
    }

    /** H2 hands back a query's last result while no table changed: each run follows a write, as in real life. */
    private static long median(ConsoleServices services, Work work) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            touchTheEmails(services);
            long start = System.nanoTime();
            work.run();
            times.add(millisSince(start));
        }
        times.sort(null);
        return times.get(RUNS / 2);
    }

    /** One e-mail's Cc changes (the report reads none): every table the report reads counts as changed for H2. */
    private static void touchTheEmails(ConsoleServices services) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement sql = connection.createStatement()) {
            sql.executeUpdate("UPDATE jd_email SET cc = CASE WHEN cc = '' THEN 'x@example.org' ELSE '' END"
                    + " WHERE id = (SELECT MIN(id) FROM jd_email)");
            sql.executeUpdate("UPDATE jd_ledger_total SET purged = purged WHERE batch_id = (SELECT MIN(batch_id)"
                    + " FROM jd_ledger_total)");
            sql.executeUpdate("UPDATE jd_delivery_attempt SET host = host WHERE job_id = (SELECT MIN(job_id)"
                    + " FROM jd_delivery_attempt) AND attempt = 1");
            sql.executeUpdate("UPDATE jobrunr_jobs SET version = version WHERE id = (SELECT MIN(id) FROM jobrunr_jobs)");
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static long cliReport(Path dir) throws Exception {
        return cli(dir, "report", "--json", "--data-dir", dir.toString());
    }

    private static long cli(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar",
                System.getProperty("jobdeck.bench.jar", "target/jobdeck-0.1.0.jar")));
        command.addAll(List.of(args));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int exit = process.waitFor();
        long took = millisSince(start);
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
        }
        return took;
    }

    /** The ledger as SurvivalReports counted it before decision 26: every e-mail, every attempt. */
    private static long oldLedger(ConsoleServices services) throws SQLException {
        String delivered = "EXISTS (SELECT 1 FROM jd_delivery_attempt a WHERE a.email_id = e.id AND a.outcome = 'SENT')";
        String ledger = """
                SELECT COUNT(*), SUM(CASE WHEN category = 'DELIVERED' THEN 1 ELSE 0 END)
                FROM (SELECT delivered, state,
                             CASE WHEN delivered THEN 'DELIVERED'
                                  WHEN state = 'FAILED' THEN 'FAILED'
                                  WHEN state = 'DELETED' THEN 'DELETED'
                                  WHEN state IN ('SCHEDULED', 'ENQUEUED', 'PROCESSING', 'AWAITING') THEN 'PENDING'
                                  WHEN state IS NULL AND job_to_come THEN 'PENDING'
                                  ELSE 'LOST' END AS category
                      FROM (SELECT %1$s AS delivered,
                                   COALESCE(e.batch_id IN (SELECT u.batch_id FROM jd_unqueued_batch u), FALSE)
                                           AS job_to_come,
                                   CASE WHEN j.id IS NOT NULL THEN j.state
                                        WHEN b.id IS NOT NULL AND %1$s THEN 'SUCCEEDED'
                                        ELSE b.state END AS state
                            FROM jd_email e LEFT JOIN jobrunr_jobs j ON j.id = e.job_id
                            LEFT JOIN jobrunr_jobs b ON b.id = e.bulk_job_id
                            WHERE e.kind IN ('ONE_OFF', 'RECURRING_RUN')) x) y""".formatted(delivered);
        String twice = "SELECT COUNT(*) FROM (SELECT e.id FROM jd_email e JOIN jd_delivery_attempt a1 ON a1.email_id = e.id"
                + " GROUP BY e.id HAVING SUM(CASE WHEN a1.outcome = 'SENT' THEN 1 ELSE 0 END)"
                + " + SUM(CASE WHEN a1.outcome = 'STARTED' AND EXISTS (SELECT 1 FROM jd_delivery_attempt a2"
                + " WHERE a2.job_id = a1.job_id AND a2.attempt <> a1.attempt) THEN 1 ELSE 0 END) >= 2) x";
        long total = 0;
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement sql = connection.createStatement()) {
            for (String query : List.of(ledger, twice)) {
                try (ResultSet rows = sql.executeQuery(query)) {
                    rows.next();
                    total += rows.getLong(1);
                }
            }
        }
        return total;
    }
}
