package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.MessageIds;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.DataDirectory;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.jobrunr.jobs.states.StateName;

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
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Not a unit test: {@code bench/throughput.sh} runs it. Queues N recipients (default 10,000) the way Compose does
 * ({@code EmailQueue.queue}; the CSV importer will feed the same call), delivers them with the console's own host,
 * and, in the same run, sends N messages with a raw Jakarta Mail loop on as many threads as JobDeck opened
 * connections, each reusing one connection, once before JobDeck and once after (the raw rate is their mean, so
 * neither side gets all of the JIT's later work). Each of the three starts on an empty server: the sink's mailbox is
 * cleared, the bare GreenMail emptied, between them. A first, smaller round of both, not counted, warms the JIT up,
 * as a console that has been running for a while would be. Both against (a) the built-in sink, which records every
 * message in its H2 mailbox, and (b) a bare GreenMail in a separate JVM. With ROUNDS > 1 each target runs that
 * many times, each on a fresh store, and the summary gives the median ratio.
 */
public final class ThroughputBench {

    private static final PrintStream OUT = System.out;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int bulkSize = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        // Each round is a fresh console and store per target; the summary gives the median of the rounds' ratios.
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                BareGreenMail.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader otherOut = new BufferedReader(new InputStreamReader(other.getInputStream()));
        int otherPort = Integer.parseInt(otherOut.readLine().substring("port=".length()));
        PrintStream otherIn = new PrintStream(other.getOutputStream(), true);
        List<String> lines = new ArrayList<>();
        try {
            // -Dbench.only=sink or =other runs one of the two targets.
            String only = System.getProperty("bench.only", "");
            // A console delivers for hours: compile the code of both sides first, as a long-running one would have.
            OUT.println("warm-up, not counted: " + run("built-in sink", Math.max(1, n / 5), workers, bulkSize,
                    Optional.empty(), services -> services.sink().orElseThrow().mailbox().clear()).line());
            if (!only.equals("sink")) {
                // The other server's JVM too: cold, its first raw loop ran at half the rate of the later ones.
                OUT.println("warm-up, not counted: " + run("bare GreenMail", Math.max(1, n / 5), workers, bulkSize,
                        Optional.of(otherPort), services -> resetOther(otherIn, otherOut)).line());
            }
            List<Result> sink = new ArrayList<>();
            List<Result> others = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                if (!only.equals("other")) {
                    sink.add(run("built-in sink (H2-recording GreenMail, in the console)", n, workers, bulkSize,
                            Optional.empty(), services -> services.sink().orElseThrow().mailbox().clear()));
                }
                if (!only.equals("sink")) {
                    others.add(run("bare GreenMail in another JVM", n, workers, bulkSize, Optional.of(otherPort),
                            services -> {
                                String received = resetOther(otherIn, otherOut);
                                if (!received.equals(Integer.toString(n))) {
                                    OUT.println("note: the other server had " + received + " messages, expected " + n);
                                }
                            }));
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
        }
        OUT.println();
        lines.forEach(OUT::println);
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

    private static double median(List<Double> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static Result run(String target, int n, int workers, int bulkSize, Optional<Integer> otherPort,
                              ServerReset emptyServer) throws Exception {
        Path dir = Files.createTempDirectory("jobdeck-throughput");
        ConsoleServices.Options console = ConsoleServices.Options.console();
        ConsoleServices.Options options = new ConsoleServices.Options(console.role(), true, 0,
                console.engine().withWorkers(workers), console.clock());
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), options)) {
            if (otherPort.isPresent()) {
                services.outgoing().useServer(SmtpSettings.of("127.0.0.1", otherPort.get()));
            }
            services.updateDelivery(new DeliverySettings(bulkSize, 0, 0));
            SmtpSettings smtp = services.outgoing().current();
            // The host runs from the start, as in an open console: queueing wakes it (JobEngine.wakeHost).
            services.startHost();
            long[] rawCommits0 = mailboxCommits(services);
            double rawBefore = rawLoop(smtp, n, workers);
            long[] rawCommits1 = mailboxCommits(services);
            emptyServer.empty(services);
            long[] commitsBefore = services.database().groupCommit().counts();
            long[] mailboxBefore = mailboxCommits(services);
            String to = IntStream.range(0, n).mapToObj(i -> "user" + i + "@example.org").collect(Collectors.joining("\n"));

            Instant queuedAt = Instant.now();
            long q0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            QueueResult result = services.queue().queue(new SendRequest("bench@jobdeck.test", to, "", "",
                    "Throughput", "Body of a bench e-mail.", When.now()));
            double queueSeconds = (System.nanoTime() - q0) / 1e9;
            long jobs = result.jobIds().stream().distinct().count();
            // JobRunr's per-state counts are one indexed query; the survival ledger would cost a core while polled.
            while (services.queries().counts().of(StateName.SUCCEEDED) < jobs) {
                Thread.sleep(20);
            }
            double endToEndSeconds = (System.nanoTime() - q0) / 1e9;
            double cpuShare = (processCpuNanos() - cpu0) / 1e9 / endToEndSeconds / Runtime.getRuntime().availableProcessors();
            long connections = services.connections().connectionsOpened();
            services.engine().stopServer();
            long delivered = services.reports().ledger(Optional.of(result.batchId())).delivered();
            if (delivered != n) {
                throw new IllegalStateException("delivered " + delivered + " of " + n);
            }
            // Delivering: from the first recipient's attempt (the ledger's earliest start) to the last job's success.
            double firstSendSeconds = Duration.between(queuedAt, firstAttempt(services)).toNanos() / 1e9;
            double deliverSeconds = endToEndSeconds - firstSendSeconds;

            long[] commitsAfter = services.database().groupCommit().counts();
            long[] commits = {commitsAfter[0] - commitsBefore[0], commitsAfter[1] - commitsBefore[1]};
            long[] mailboxAfter = mailboxCommits(services);
            long[] mailbox = {mailboxAfter[0] - mailboxBefore[0], mailboxAfter[1] - mailboxBefore[1]};
            if (connections != workers) {
                OUT.println("note: JobDeck opened " + connections + " connections; the raw loops used " + workers);
            }
            emptyServer.empty(services);
            double rawAfter = rawLoop(smtp, n, workers);
            emptyServer.empty(services);
            double jobdeckRate = n / deliverSeconds;
            double endToEndRate = n / endToEndSeconds;
            double rawRate = (n / rawBefore + n / rawAfter) / 2;
            int threads = workers;
            String line = String.format("%s: %d recipients in %d jobs, %d workers, %d connections | queue %.2f s,"
                            + " first e-mail sent %.2f s after queueing began, all delivered after %.2f s"
                            + " | JobDeck %.0f e-mails/s delivering, %.0f/s end to end | raw loop %d threads"
                            + " x 1 connection %.0f msgs/s (%.0f before, %.0f after) | ratio %.2f delivering, %.2f end to end"
                            + " | %d ledger writes in %d commits, %d mailbox writes in %d commits"
                            + " (raw loop: %d mailbox writes in %d commits)"
                            + " | this JVM used %.0f %% of the CPUs from queueing to delivered",
                    target, n, jobs, workers, connections, queueSeconds, firstSendSeconds, endToEndSeconds, jobdeckRate,
                    endToEndRate, threads, rawRate, n / rawBefore, n / rawAfter, jobdeckRate / rawRate,
                    endToEndRate / rawRate, commits[1], commits[0], mailbox[1], mailbox[0],
                    rawCommits1[1] - rawCommits0[1], rawCommits1[0] - rawCommits0[0], 100 * cpuShare);
            OUT.println(line);
            return new Result(target, line, jobdeckRate, endToEndRate, rawRate);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static Instant firstAttempt(ConsoleServices services) throws java.sql.SQLException {
        try (java.sql.Connection connection = services.database().dataSource().getConnection();
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT MIN(started_at) FROM jd_delivery_attempt")) {
            rows.next();
            return rows.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    /** The built-in sink's commits {commits, writes}; none when the target is the other server. */
    private static long[] mailboxCommits(ConsoleServices services) {
        return services.sinkMailbox().map(database -> database.groupCommit().counts()).orElse(new long[2]);
    }

    /** A run's store is a few hundred MB; rounds would fill /tmp. */
    private static void deleteRecursively(Path dir) throws IOException {
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
    private static String resetOther(PrintStream otherIn, BufferedReader otherOut) {
        otherIn.println("reset");
        try {
            return otherOut.readLine().substring("received=".length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** N messages over {@code threads} connections, each thread one connection reused for its share. */
    private static double rawLoop(SmtpSettings smtp, int n, int threads) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", smtp.host());
        properties.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        properties.setProperty("mail.smtp.connecttimeout", "10000");
        properties.setProperty("mail.smtp.timeout", "30000");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        com.fasterxml.uuid.impl.TimeBasedEpochGenerator ids = com.fasterxml.uuid.Generators.timeBasedEpochGenerator();
        long r0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                Session session = Session.getInstance(properties);
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect();
                    for (int i = thread; i < n; i += threads) {
                        MimeMessage message = new MimeMessage(session);
                        message.setFrom(new InternetAddress("bench@jobdeck.test"));
                        message.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse("raw" + i + "@example.org"));
                        message.setSubject("Throughput", "UTF-8");
                        message.setText("Body of a bench e-mail.", "UTF-8");
                        message.saveChanges();
                        message.setHeader("Message-ID", MessageIds.forJob(ids.generate()));
                        transport.sendMessage(message, message.getAllRecipients());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        return (System.nanoTime() - r0) / 1e9;
    }
}
