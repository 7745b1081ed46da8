package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.StoreGenerator;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.navigation.AmountRequest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a unit test: {@code bench/backlog.sh} runs it. Delivery with a large backlog: a store generated with BACKLOG
 * Enqueued single jobs ({@link StoreGenerator.Mix#backlog()}) and one with BASELINE, each opened by a console whose
 * own host (WORKERS workers) delivers to a bare GreenMail in another JVM; the rate is the first MEASURED e-mails the
 * server accepted, from the first attempt's start to the MEASURED-th acceptance, as the ledger records them, so both
 * runs are timed over the same work and neither over a queue running dry. Also JobRunr's own read of the oldest
 * Enqueued jobs ({@code getJobList(ENQUEUED, updatedAt:ASC, 16)}, the fetch's shape) on each store before its host
 * starts. One baseline run first is not counted ({@code -Dbench.warmups}, default 1). With
 * {@code -Dbench.generate=10000,100000,1000000}, first the time to generate stores of the realistic mix of those
 * sizes and their size on disk per 100,000 e-mails.
 */
public final class BacklogBench {

    private static final PrintStream OUT = System.out;
    /** A run that delivers slower than this gives up, and says how far it got. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    public static void main(String[] args) throws Exception {
        int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int baseline = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 800;
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        List<String> lines = new ArrayList<>();
        for (String size : System.getProperty("bench.generate", "").split(",")) {
            if (!size.isBlank()) {
                lines.add(generate(Integer.parseInt(size.strip())));
                OUT.println(lines.get(lines.size() - 1));
            }
        }
        Process other = ThroughputBench.benchJvm(BareGreenMail.class, "-Xmx768m");
        BufferedReader otherOut = new BufferedReader(new InputStreamReader(other.getInputStream()));
        int otherPort = Integer.parseInt(otherOut.readLine().substring("port=".length()));
        PrintStream otherIn = new PrintStream(other.getOutputStream(), true);
        List<Double> ratios = new ArrayList<>();
        try {
            // Not counted: the first run in a JVM pays for its JIT (a cold baseline ran at a third of a warm one).
            for (int warmup = 0; warmup < Integer.getInteger("bench.warmups", 1); warmup++) {
                OUT.println("warm-up, not counted: " + run(baseline, Math.min(measured, baseline), workers, otherPort).line());
                ThroughputBench.resetOther(otherIn, otherOut);
            }
            for (int round = 1; round <= rounds; round++) {
                Run small = run(baseline, Math.min(measured, baseline), workers, otherPort);
                ThroughputBench.resetOther(otherIn, otherOut);
                OUT.println(small.line());
                Run large = run(backlog, Math.min(measured, backlog), workers, otherPort);
                ThroughputBench.resetOther(otherIn, otherOut);
                OUT.println(large.line());
                double ratio = large.rate() / small.rate();
                ratios.add(ratio);
                lines.add(small.line());
                lines.add(large.line());
                lines.add(String.format("round %d: ratio %.2f (%,d enqueued: %.0f e-mails/s; %,d enqueued: %.0f e-mails/s)",
                        round, ratio, backlog, large.rate(), baseline, small.rate()));
            }
        } finally {
            otherIn.close();
            other.waitFor();
        }
        if (ratios.size() > 1) {
            lines.add(String.format("median ratio of %d rounds: %.2f", ratios.size(),
                    ThroughputBench.median(ratios.stream().sorted().toList())));
        }
        OUT.println();
        lines.forEach(OUT::println);
    }

    private record Run(int enqueued, int measured, double generateSeconds, double fetchMillis, double rate,
                       boolean complete) {
        String line() {
            return String.format("%,d Enqueued single jobs (generated in %.1f s): JobRunr's read of the 16 oldest %.0f ms;"
                            + " %s%,d e-mails delivered at %.0f e-mails/s", enqueued, generateSeconds, fetchMillis,
                    complete ? "" : "gave up after " + PATIENCE.toMinutes() + " min: ", measured, rate);
        }
    }

    private static Run run(int enqueued, int measured, int workers, int otherPort) throws Exception {
        Path dir = Files.createTempDirectory("jobdeck-backlog");
        try {
            StoreGenerator.Summary generated = StoreGenerator.generate(dir, enqueued, 1, StoreGenerator.Mix.backlog(),
                    written -> { });
            ConsoleServices.Options console = ConsoleServices.Options.console();
            ConsoleServices.Options options = new ConsoleServices.Options(console.role(), false, 0,
                    console.engine().withWorkers(workers), console.clock());
            try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), options)) {
                services.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", otherPort));
                ThroughputBench.settle();
                double fetchMillis = fetchMillis(services);
                services.startHost();
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                int sent = 0;
                while (sent < measured && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    sent = sent(services);
                }
                // Drained: stopping would cut jobs off mid-save, which JobRunr logs as errors.
                services.parts().engine().drainServer(Duration.ofSeconds(30), "bench done");
                int counted = Math.min(sent, measured);
                double seconds = window(services, counted).toNanos() / 1e9;
                return new Run(enqueued, counted, generated.took().toMillis() / 1000.0, fetchMillis, counted / seconds,
                        sent >= measured);
            }
        } finally {
            ThroughputBench.deleteRecursively(dir);
        }
    }

    /** JobRunr's own read of the oldest Enqueued jobs, the shape of its fetch: the mean of three, after one. */
    static double fetchMillis(ConsoleServices services) {
        AmountRequest oldest = new AmountRequest("updatedAt:ASC", 16);
        services.parts().engine().storage().getJobList(StateName.ENQUEUED, oldest);
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            services.parts().engine().storage().getJobList(StateName.ENQUEUED, oldest);
        }
        return (System.nanoTime() - start) / 3e6;
    }

    static int sent(ConsoleServices services) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT COUNT(*) FROM jd_delivery_attempt WHERE outcome = 'SENT'");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** From the first attempt's start to the {@code n}-th acceptance, as the ledger has them. */
    static Duration window(ConsoleServices services, int n) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT (SELECT MIN(started_at) FROM jd_delivery_attempt),"
                     + " (SELECT finished_at FROM jd_delivery_attempt WHERE outcome = 'SENT' ORDER BY finished_at"
                     + " OFFSET ? ROWS FETCH NEXT 1 ROW ONLY)")) {
            query.setInt(1, n - 1);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                Instant first = rows.getObject(1, OffsetDateTime.class).toInstant();
                Instant nth = rows.getObject(2, OffsetDateTime.class).toInstant();
                return Duration.between(first, nth);
            }
        }
    }

    /** The time to generate a store of the realistic mix, and its size on disk per 100,000 e-mails. */
    private static String generate(int jobs) throws Exception {
        Path dir = Files.createTempDirectory("jobdeck-generated");
        try {
            StoreGenerator.Summary summary = StoreGenerator.generate(dir, jobs, 1, StoreGenerator.Mix.realistic(),
                    written -> { });
            long bytes = Files.size(new DataDirectory(dir).databaseFile());
            double seconds = summary.took().toMillis() / 1000.0;
            return String.format("generated %,d jobs (%,d e-mails, %,d attempts) in %.1f s (%,.0f jobs/s); store %,.0f MB,"
                            + " %,.0f MB per 100,000 e-mails", jobs, summary.emails(), summary.attempts(), seconds,
                    jobs / seconds, bytes / 1e6, bytes / 1e6 / summary.emails() * 100_000);
        } finally {
            ThroughputBench.deleteRecursively(dir);
        }
    }
}
