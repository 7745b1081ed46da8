package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.StoreKind;
import dev.jobdeck.testsupport.StoreGenerator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Issue 17's figures, in one run: e-mails delivered per second by 1, 2 and 4 worker processes on an H2 store (served
 * by the console over 127.0.0.1) and on a PostgreSQL store (each worker its own connections); then JobRunr's read of
 * the oldest Enqueued jobs and the delivery rate with a backlog of generated single jobs, on both (the same generated
 * store, moved to PostgreSQL with {@code jobdeck store move}'s code). The target is a bare GreenMail in another JVM.
 * Usage: ClusterBench [RECIPIENTS=2000] [WORKERS_EACH=8] [BACKLOG=100000] [MEASURED=800]; -Dbench.only=backlog skips
 * the worker processes' part, BACKLOG 0 the backlog's.
 */
public final class ClusterBench {

    private static final PrintStream OUT = System.out;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    public static void main(String[] args) throws Exception {
        int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int workersEach = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int backlog = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int measured = args.length > 3 ? Integer.parseInt(args[3]) : 800;
        Process other = ThroughputBench.benchJvm(BareGreenMail.class, "-Xmx768m");
        BufferedReader otherOut = new BufferedReader(new InputStreamReader(other.getInputStream()));
        int otherPort = Integer.parseInt(otherOut.readLine().substring("port=".length()));
        PrintStream otherIn = new PrintStream(other.getOutputStream(), true);
        List<String> lines = new ArrayList<>();
        try {
            boolean backlogOnly = "backlog".equals(System.getProperty("bench.only"));
            if (!backlogOnly) {
                OUT.println("warm-up, not counted: " + processes(false, 1, recipients / 4, workersEach, otherPort));
                ThroughputBench.resetOther(otherIn, otherOut);
            }
            for (int processes : backlogOnly ? new int[0] : new int[] {1, 2, 4}) {
                for (boolean postgres : new boolean[] {false, true}) {
                    String line = processes(postgres, processes, recipients, workersEach, otherPort);
                    ThroughputBench.resetOther(otherIn, otherOut);
                    OUT.println(line);
                    lines.add(line);
                }
            }
            if (backlog > 0) {
                lines.addAll(backlog(backlog, measured, otherPort, otherIn, otherOut));
            }
        } finally {
            otherIn.close();
            other.waitFor();
        }
        OUT.println();
        lines.forEach(OUT::println);
    }

    /** {@code recipients} e-mails queued as an operator would (bulk jobs), delivered by {@code processes} worker JVMs. */
    private static String processes(boolean postgres, int processes, int recipients, int workersEach, int otherPort)
            throws Exception {
        Path dir = Files.createTempDirectory("jobdeck-cluster");
        try {
            DataDirectory directory = new DataDirectory(dir);
            if (postgres) {
                onPostgres(directory, PostgresServer.freshDatabase());
            }
            ConsoleServices.Options console = ConsoleServices.Options.console();
            ConsoleServices.Options options = new ConsoleServices.Options(console.role(), false, 0, console.engine(),
                    console.clock());
            try (ConsoleServices services = ConsoleServices.open(directory, options)) {
                services.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", otherPort));
                services.parts().supervisor().orElseThrow().startWorkers(processes, HostRecord.Kind.WORKER, workersEach);
                awaitRunning(services, processes);
                ThroughputBench.settle();
                services.parts().queue().queue(Consoles.email(IntStream.range(0, recipients)
                        .mapToObj(i -> "r" + i + "@example.org").collect(Collectors.joining(",\n"))));
                int sent = awaitSent(services, recipients);
                double seconds = BacklogBench.window(services, sent).toNanos() / 1e9;
                return String.format("%-10s %d worker process(es) x %d workers: %,d e-mails at %.0f e-mails/s%s",
                        postgres ? "PostgreSQL" : "H2", processes, workersEach, sent, sent / seconds,
                        sent < recipients ? " (gave up after " + PATIENCE.toMinutes() + " min)" : "");
            }
        } finally {
            ThroughputBench.deleteRecursively(dir);
        }
    }

    /** The same generated backlog of single jobs on PostgreSQL (moved there first) and on H2 (the file as generated). */
    private static List<String> backlog(int backlog, int measured, int otherPort, PrintStream otherIn,
                                        BufferedReader otherOut) throws Exception {
        Path dir = Files.createTempDirectory("jobdeck-cluster-backlog");
        List<String> lines = new ArrayList<>();
        try {
            StoreGenerator.Summary generated = StoreGenerator.generate(dir, backlog, 1, StoreGenerator.Mix.backlog(),
                    written -> { });
            OUT.printf("generated %,d Enqueued single jobs in %.1f s%n", backlog, generated.took().toMillis() / 1000.0);
            DataDirectory directory = new DataDirectory(dir);
            Instant moving = null;
            // As an operator moves it, in a JVM of its own: `jobdeck store move`. H2 may still be closing the generated
            // file on a thread of this JVM for a few seconds: a move that cannot open it yet is tried again on a fresh
            // database.
            int exit = -1;
            for (int attempt = 0; attempt < 10 && exit != 0; attempt++) {
                if (attempt > 0) {
                    Thread.sleep(3_000);
                }
                PostgresServer.Database database = PostgresServer.freshDatabase();
                moving = Instant.now();
                Process move = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), "dev.jobdeck.cli.Main", "store", "move", "--to",
                        database.url(), "--password-stdin", "--data-dir", dir.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                try (PrintStream stdin = new PrintStream(move.getOutputStream(), true)) {
                    stdin.println(database.password());
                }
                exit = move.waitFor();
            }
            if (exit != 0) {
                throw new IllegalStateException("jobdeck store move failed with exit code " + exit);
            }
            lines.add(String.format("moved the %,d-job H2 store to PostgreSQL in %.1f s", backlog,
                    Duration.between(moving, Instant.now()).toMillis() / 1000.0));
            OUT.println(lines.get(lines.size() - 1));
            lines.add(backlogRun("PostgreSQL", directory, backlog, measured, otherPort));
            OUT.println(lines.get(lines.size() - 1));
            ThroughputBench.resetOther(otherIn, otherOut);
            // The move left the H2 file as it was: forget PostgreSQL and the directory is the generated H2 store again.
            Files.delete(directory.storeLocationFile());
            lines.add(backlogRun("H2", directory, backlog, measured, otherPort));
            OUT.println(lines.get(lines.size() - 1));
            ThroughputBench.resetOther(otherIn, otherOut);
        } finally {
            ThroughputBench.deleteRecursively(dir);
        }
        return lines;
    }

    private static String backlogRun(String store, DataDirectory directory, int backlog, int measured, int otherPort)
            throws Exception {
        ConsoleServices.Options console = ConsoleServices.Options.console();
        ConsoleServices.Options options = new ConsoleServices.Options(console.role(), false, 0,
                console.engine().withWorkers(16), console.clock());
        try (ConsoleServices services = ConsoleServices.open(directory, options)) {
            services.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", otherPort));
            ThroughputBench.settle();
            double fetch = BacklogBench.fetchMillis(services);
            services.startHost();
            int sent = awaitSent(services, measured);
            services.parts().engine().drainServer(Duration.ofSeconds(30), "bench done");
            int counted = Math.min(sent, measured);
            double seconds = BacklogBench.window(services, counted).toNanos() / 1e9;
            return String.format("%-10s %,d Enqueued single jobs: JobRunr's read of the 16 oldest %.1f ms; first %,d"
                    + " delivered at %.0f e-mails/s by one host of 16 workers", store, backlog, fetch, counted,
                    counted / seconds);
        }
    }

    private static void onPostgres(DataDirectory directory, PostgresServer.Database database) throws Exception {
        StoreKind.directoryOn(database, directory);
    }

    private static void awaitRunning(ConsoleServices services, int processes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (services.parts().engine().storage().getBackgroundJobServers().size() < processes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker processes did not start");
            }
            Thread.sleep(200);
        }
    }

    private static int awaitSent(ConsoleServices services, int wanted) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int sent = 0;
        while (sent < wanted && System.nanoTime() < deadline) {
            Thread.sleep(100);
            sent = BacklogBench.sent(services);
        }
        return Math.min(sent, wanted);
    }
}
