package dev.jobdeck.bench;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.csv.CsvImport;
import dev.jobdeck.core.csv.RecipientCsv;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.DataDirectory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Not a unit test: {@code bench/throughput.sh} runs it. Imports a CSV of N recipients (default 10,000; e-mail and
 * name) with Compose's importer and queues them the way Compose does ({@code EmailQueue.queue}, subject and body
 * merged per recipient) to the console's own host, already running; and, in the same run, sends N messages with a
 * raw Jakarta Mail loop on as many threads as JobDeck opened connections, each reusing one connection (in this JVM,
 * or with {@code -Dbench.raw=jvm} in a JVM of its own: {@link RawLoopClient}), once before JobDeck and once after
 * (the raw rate is their mean, so neither side gets all of the JIT's later work). JobDeck's
 * times come from its ledger: "end to end" from the queue call to the last message accepted, "delivering" from the
 * first message's start to the last one's acceptance. Each of the three phases starts on an empty server: the sink's
 * mailbox is cleared, the bare GreenMail emptied, between them. Full-size rounds first, not counted
 * ({@code -Dbench.warmups}, default 3), let the JIT compile both sides, as in a console that has been running a
 * while. Both against (a) the built-in sink, which records every message in its H2 mailbox, and (b) a bare
 * GreenMail in a separate JVM. With ROUNDS > 1 each target runs that many times, each on a fresh store, and the
 * summary gives the median ratios.
 */
public final class ThroughputBench {

    private static final PrintStream OUT = System.out;
    static final String SUBJECT = "Hello {{name}}";
    static final String BODY = "Dear {{name}},\n\nthe body of a bench e-mail.\n";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        // "default": the bulk size a new store has.
        int bulkSize = args.length > 2 && !args[2].equals("default") ? Integer.parseInt(args[2])
                : DeliverySettings.defaults().batchSize();
        // Each round is a fresh console and store per target; the summary gives the median of the rounds' ratios.
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        // Full-size rounds first, not counted: a smaller one left the JIT compiling for seconds in the measured ones.
        int warmups = Integer.getInteger("bench.warmups", 3);
        Process other = benchJvm(BareGreenMail.class, "-Xmx768m");
        BufferedReader otherOut = new BufferedReader(new InputStreamReader(other.getInputStream()));
        int otherPort = Integer.parseInt(otherOut.readLine().substring("port=".length()));
        PrintStream otherIn = new PrintStream(other.getOutputStream(), true);
        // The raw loop runs in this JVM, beside JobDeck: here it ran about a quarter faster than in a JVM of its
        // own (-Dbench.raw=jvm), while JobDeck's own rate did not change, so this is the harder baseline.
        RawLoop raw = System.getProperty("bench.raw", "inprocess").equals("jvm") ? RawLoop.ownJvm() : RawLoop.inProcess();
        List<String> lines = new ArrayList<>();
        try {
            // -Dbench.only=sink or =other runs one of the two targets.
            String only = System.getProperty("bench.only", "");
            OUT.printf("%d recipients, %d workers, bulk size %d, %d warm-up and %d measured rounds, raw loop %s%n", n,
                    workers, bulkSize, warmups, rounds, raw);
            List<Result> sink = new ArrayList<>();
            List<Result> others = new ArrayList<>();
            for (int round = 1; round <= warmups + rounds; round++) {
                boolean counted = round > warmups;
                if (!only.equals("other")) {
                    Result result = run("built-in sink (H2-recording GreenMail, in the console)", n, workers, bulkSize,
                            Optional.empty(), raw, services -> services.sink().orElseThrow().mailbox().clear());
                    keep(result, counted, sink);
                }
                if (!only.equals("sink")) {
                    Result result = run("bare GreenMail in another JVM", n, workers, bulkSize, Optional.of(otherPort), raw,
                            services -> {
                                String received = resetOther(otherIn, otherOut);
                                if (!received.equals(Integer.toString(n))) {
                                    OUT.println("note: the other server had " + received + " messages, expected " + n);
                                }
                            });
                    keep(result, counted, others);
                }
            }
            for (List<Result> results : List.of(sink, others)) {
                results.forEach(result -> lines.add(result.line()));
                if (results.size() > 1) {
                    lines.add(summary(results));
                }
            }
        } finally {
            otherIn.close();
            other.waitFor();
            raw.close();
        }
        OUT.println();
        lines.forEach(OUT::println);
    }

    /** A JVM of this bench's class path running {@code main}, talking over its standard input and output. */
    static Process benchJvm(Class<?> main, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void keep(Result result, boolean counted, List<Result> results) {
        OUT.println((counted ? "" : "warm-up, not counted: ") + result.line());
        if (counted) {
            results.add(result);
        }
    }

    /** Empties the target server between the three phases of a run, so each starts on an empty one. */
    private interface ServerReset {
        void empty(ConsoleServices services) throws Exception;
    }

    /** One run: the line it printed, and the two rates it compared. */
    private record Result(String target, String line, double jobdeck, double endToEnd, double raw) {
        double ratio() {
            return jobdeck / raw;
        }

        double endToEndRatio() {
            return endToEnd / raw;
        }
    }

    private static String summary(List<Result> results) {
        List<Double> ratios = results.stream().map(Result::ratio).sorted().toList();
        List<Double> endToEndRatios = results.stream().map(Result::endToEndRatio).sorted().toList();
        List<Double> jobdeck = results.stream().map(Result::jobdeck).sorted().toList();
        List<Double> endToEnd = results.stream().map(Result::endToEnd).sorted().toList();
        List<Double> raw = results.stream().map(Result::raw).sorted().toList();
        return String.format("%s, %d rounds: ratio delivering median %.2f (%.2f-%.2f), end to end median %.2f (%.2f-%.2f)"
                        + " | JobDeck median %.0f e-mails/s delivering, %.0f end to end | raw loop median %.0f msgs/s",
                results.get(0).target(), results.size(), median(ratios), ratios.get(0), ratios.get(ratios.size() - 1),
                median(endToEndRatios), endToEndRatios.get(0), endToEndRatios.get(endToEndRatios.size() - 1),
                median(jobdeck), median(endToEnd), median(raw));
    }

    static double median(List<Double> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static Result run(String target, int n, int workers, int bulkSize, Optional<Integer> otherPort, RawLoop raw,
                              ServerReset emptyServer) throws Exception {
        Path dir = Files.createTempDirectory("jobdeck-throughput");
        ConsoleServices.Options console = ConsoleServices.Options.console();
        ConsoleServices.Options options = new ConsoleServices.Options(console.role(), true, 0,
                console.engine().withWorkers(workers), console.clock());
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), options)) {
            if (otherPort.isPresent()) {
                services.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", otherPort.get()));
            }
            services.parts().liveSettings().updateDelivery(new DeliverySettings(bulkSize, 0, 0));
            SmtpSettings smtp = services.parts().outgoing().current();
            // The host runs from the start, as in an open console: queueing wakes it (JobEngine.wakeHost).
            services.startHost();
            long[] rawCommits0 = mailboxCommits(services);
            settle();
            double[] before = raw.run(smtp, n, workers);
            double rawBefore = before[0];
            long rawJitBefore = (long) before[1];
            long[] rawCommits1 = mailboxCommits(services);
            emptyServer.empty(services);
            long[] commitsBefore = services.parts().database().groupCommit().counts();
            long[] mailboxBefore = mailboxCommits(services);
            // The list as an operator imports it on Compose (the import is done before Queue is clicked).
            long c0 = System.nanoTime();
            CsvImport imported = new RecipientCsv().read(csv(dir, n), Optional.empty(), RecipientCsv.Progress.none(),
                    () -> false);
            double csvSeconds = (System.nanoTime() - c0) / 1e9;
            settle();

            Instant queuedAt = Instant.now();
            long q0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            long jit0 = jitMillis();
            QueueResult result = services.parts().queue().queue(new SendRequest("bench@jobdeck.test", "", "", "", SUBJECT, BODY,
                    When.now(), imported.valid(), List.of()));
            double queueSeconds = (System.nanoTime() - q0) / 1e9;
            long jobs = result.jobIds().stream().distinct().count();
            // JobRunr's per-state counts are one indexed query; the survival ledger would cost a core while polled.
            while (services.parts().queries().counts().of(JobState.SUCCEEDED) < jobs) {
                Thread.sleep(20);
            }
            double doneSeconds = (System.nanoTime() - q0) / 1e9;
            double cpuShare = (processCpuNanos() - cpu0) / 1e9 / doneSeconds / Runtime.getRuntime().availableProcessors();
            long jit = jitMillis() - jit0;
            long connections = services.parts().connections().connectionsOpened();
            services.parts().engine().stopServer();
            long delivered = services.parts().reports().ledger(Optional.of(result.batchId())).delivered();
            if (delivered != n) {
                throw new IllegalStateException("delivered " + delivered + " of " + n);
            }
            // From the ledger, as the raw loop times its sends: the first attempt's start, the last one's acceptance.
            Instant[] window = deliveryWindow(services);
            double firstSendSeconds = Duration.between(queuedAt, window[0]).toNanos() / 1e9;
            double endToEndSeconds = Duration.between(queuedAt, window[1]).toNanos() / 1e9;
            double deliverSeconds = endToEndSeconds - firstSendSeconds;

            long[] commitsAfter = services.parts().database().groupCommit().counts();
            long[] commits = {commitsAfter[0] - commitsBefore[0], commitsAfter[1] - commitsBefore[1]};
            long[] mailboxAfter = mailboxCommits(services);
            long[] mailbox = {mailboxAfter[0] - mailboxBefore[0], mailboxAfter[1] - mailboxBefore[1]};
            if (connections != workers) {
                OUT.println("note: JobDeck opened " + connections + " connections; the raw loops used " + workers);
            }
            emptyServer.empty(services);
            settle();
            double[] after = raw.run(smtp, n, workers);
            double rawAfter = after[0];
            long rawJitAfter = (long) after[1];
            emptyServer.empty(services);
            double jobdeckRate = n / deliverSeconds;
            double endToEndRate = n / endToEndSeconds;
            double rawRate = (n / rawBefore + n / rawAfter) / 2;
            int threads = workers;
            String line = String.format("%s: %d recipients in %d jobs, %d workers, %d connections | CSV read %.2f s,"
                            + " queue %.2f s,"
                            + " first e-mail sent %.2f s after queueing began, the last accepted after %.2f s"
                            + " (all jobs Succeeded after %.2f s, JIT %d ms meanwhile)"
                            + " | JobDeck %.0f e-mails/s delivering, %.0f/s end to end | raw loop %d threads"
                            + " x 1 connection %.0f msgs/s (%.0f before, %.0f after; JIT %d and %d ms) | ratio %.2f delivering, %.2f end to end"
                            + " | %d ledger writes in %d commits, %d mailbox writes in %d commits"
                            + " (raw loop: %d mailbox writes in %d commits)"
                            + " | this JVM used %.0f %% of the CPUs from queueing to delivered",
                    target, n, jobs, workers, connections, csvSeconds, queueSeconds, firstSendSeconds, endToEndSeconds, doneSeconds,
                    jit, jobdeckRate,
                    endToEndRate, threads, rawRate, n / rawBefore, n / rawAfter, rawJitBefore, rawJitAfter, jobdeckRate / rawRate,
                    endToEndRate / rawRate, commits[1], commits[0], mailbox[1], mailbox[0],
                    rawCommits1[1] - rawCommits0[1], rawCommits1[0] - rawCommits0[0], 100 * cpuShare);
            return new Result(target, line, jobdeckRate, endToEndRate, rawRate);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** A CSV of {@code n} recipients with a header row, as an operator would import it: e-mail and name. */
    static Path csv(Path dir, int n) throws IOException {
        Path file = dir.resolve("recipients.csv");
        StringBuilder text = new StringBuilder("email,name\n");
        for (int i = 0; i < n; i++) {
            text.append("person").append(String.format("%05d", i)).append("@example.org,Person ").append(i).append('\n');
        }
        Files.writeString(file, text);
        return file;
    }

    /** The first attempt's start and the last attempt's end, in a run's fresh store. */
    static Instant[] deliveryWindow(ConsoleServices services) throws java.sql.SQLException {
        try (java.sql.Connection connection = services.parts().database().dataSource().getConnection();
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(
                     "SELECT MIN(started_at), MAX(finished_at) FROM jd_delivery_attempt")) {
            rows.next();
            return new Instant[] {rows.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                    rows.getObject(2, java.time.OffsetDateTime.class).toInstant()};
        }
    }

    /**
     * Waits until the machine is nearly idle (under a tenth of its CPUs for 300 ms, at most 20 s), so that no phase
     * pays for the last one's leftovers: H2 removes a cleared mailbox's message contents on a thread of its own, for
     * about half a second of CPU after each clear, and the garbage collectors and JITs finish what they had begun.
     */
    static void settle() throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long deadline = System.nanoTime() + 20_000_000_000L;
        os.getCpuLoad();
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            quiet = os.getCpuLoad() < 0.1 ? quiet + 1 : 0;
        }
    }

    static long jitMillis() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** The built-in sink's commits {commits, writes}; none when the target is the other server. */
    private static long[] mailboxCommits(ConsoleServices services) {
        return services.parts().sinkMailbox().map(database -> database.groupCommit().counts()).orElse(new long[2]);
    }

    /** A run's store is a few hundred MB; rounds would fill /tmp. */
    static void deleteRecursively(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Empties the bare GreenMail and returns how many messages it had received. */
    static String resetOther(PrintStream otherIn, BufferedReader otherOut) {
        otherIn.println("reset");
        try {
            return otherOut.readLine().substring("received=".length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the raw Jakarta Mail loop runs: {@link RawLoopClient} in a JVM of its own, or this one. */
    interface RawLoop extends AutoCloseable {
        /** Sends {@code n} messages over {@code threads} connections; returns {seconds, JIT milliseconds meanwhile}. */
        double[] run(SmtpSettings smtp, int n, int threads) throws Exception;

        @Override
        void close() throws Exception;

        static RawLoop inProcess() {
            return new RawLoop() {
                @Override
                public double[] run(SmtpSettings smtp, int n, int threads) throws Exception {
                    long jit = jitMillis();
                    double seconds = RawLoopClient.rawLoop(smtp.host(), smtp.port(), n, threads);
                    return new double[] {seconds, jitMillis() - jit};
                }

                @Override
                public void close() {
                }

                @Override
                public String toString() {
                    return "in this JVM";
                }
            };
        }

        static RawLoop ownJvm() throws IOException {
            Process client = benchJvm(RawLoopClient.class);
            BufferedReader replies = new BufferedReader(new InputStreamReader(client.getInputStream()));
            PrintStream commands = new PrintStream(client.getOutputStream(), true);
            if (!"ready".equals(replies.readLine())) {
                throw new IOException("the raw loop's JVM did not start");
            }
            return new RawLoop() {
                @Override
                public double[] run(SmtpSettings smtp, int n, int threads) throws IOException {
                    commands.println(smtp.host() + " " + smtp.port() + " " + n + " " + threads);
                    String reply = replies.readLine();
                    if (reply == null || !reply.startsWith("seconds=")) {
                        throw new IOException("the raw loop's JVM answered " + reply);
                    }
                    String[] parts = reply.split(" ");
                    return new double[] {Double.parseDouble(parts[0].substring("seconds=".length())),
                            Double.parseDouble(parts[1].substring("jit=".length()))};
                }

                @Override
                public void close() throws InterruptedException {
                    commands.close();
                    client.waitFor();
                }

                @Override
                public String toString() {
                    return "in a JVM of its own";
                }
            };
        }
    }
}
