package dev.jobdeck.bench;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a unit test: {@code bench/send-path.sh} runs it. {@code jobdeck send --csv} of N recipients (default 10,000;
 * e-mail and name, subject and body merged per recipient) run as a user runs it, {@code java -jar} of the built jar
 * in a JVM of its own, through a console that serves the store: the console runs in this JVM as {@code jobdeck serve}
 * runs it (the console's services with its host of 16 workers started). JobDeck is timed from the moment the
 * command is started to the last delivery its ledger records ("end to end, command included"), and compared with a
 * raw Jakarta Mail loop to the same server in the same round (16 threads, one connection each, run before and after
 * JobDeck; the raw time is their mean), as {@link ThroughputBench} does; and, command included on that side too,
 * with the same loop run as a program of its own ({@link RawLoopClient} in a fresh JVM, timed from its start to its
 * exit), as a user would compare a script. Each round is a fresh store; the first
 * rounds ({@code -Dbench.warmups}, default 2) are not counted. Both against the built-in sink and against a bare
 * GreenMail in another JVM ({@code -Dbench.only=sink|other} for one).
 */
public final class SendPathBench {

    private static final PrintStream OUT = System.out;
    private static final Pattern BATCH = Pattern.compile("\\(batch ([0-9a-f-]{36})\\)\\.");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path jar = Path.of(args.length > 2 ? args[2] : "target/jobdeck-0.1.0.jar").toAbsolutePath();
        int warmups = Integer.getInteger("bench.warmups", 2);
        String only = System.getProperty("bench.only", "");
        Process other = ThroughputBench.benchJvm(BareGreenMail.class, "-Xmx768m");
        BufferedReader otherOut = new BufferedReader(new InputStreamReader(other.getInputStream()));
        int otherPort = Integer.parseInt(otherOut.readLine().substring("port=".length()));
        PrintStream otherIn = new PrintStream(other.getOutputStream(), true);
        ThroughputBench.RawLoop raw = System.getProperty("bench.raw", "inprocess").equals("jvm")
                ? ThroughputBench.RawLoop.ownJvm() : ThroughputBench.RawLoop.inProcess();
        List<String> lines = new ArrayList<>();
        try {
            OUT.printf("send --csv of %d recipients through a running console (16 workers), %d warm-up and %d measured"
                    + " rounds, raw loop %s, jar %s%n", n, warmups, rounds, raw, jar);
            List<Result> sink = new ArrayList<>();
            List<Result> others = new ArrayList<>();
            for (int round = 1; round <= warmups + rounds; round++) {
                boolean counted = round > warmups;
                if (!only.equals("other")) {
                    keep(run("built-in sink", n, jar, Optional.empty(), raw,
                            services -> services.sink().orElseThrow().mailbox().clear()), counted, sink);
                }
                if (!only.equals("sink")) {
                    keep(run("bare GreenMail in another JVM", n, jar, Optional.of(otherPort), raw,
                            services -> ThroughputBench.resetOther(otherIn, otherOut)), counted, others);
                }
            }
            for (List<Result> results : List.of(sink, others)) {
                results.forEach(result -> lines.add(result.line()));
                if (!results.isEmpty()) {
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

    private interface ServerReset {
        void empty(ConsoleServices services) throws Exception;
    }

    /** One round: the line it printed, JobDeck's end-to-end seconds, the raw loop's, and the command's. */
    private record Result(String target, String line, double endToEnd, double raw, double rawCommand, double command,
                          double pickUp) {
        double ratio() {
            return raw / endToEnd;
        }

        double commandRatio() {
            return rawCommand / endToEnd;
        }
    }

    private static void keep(Result result, boolean counted, List<Result> results) {
        OUT.println((counted ? "" : "warm-up, not counted: ") + result.line());
        if (counted) {
            results.add(result);
        }
    }

    private static String summary(List<Result> results) {
        List<Double> ratios = results.stream().map(Result::ratio).sorted().toList();
        List<Double> commandRatios = results.stream().map(Result::commandRatio).sorted().toList();
        return String.format("%s, %d rounds: ratio end to end (command included) median %.2f (%.2f-%.2f), against the"
                        + " raw loop as a command %.2f (%.2f-%.2f) | JobDeck median %.2f s, command %.2f s, first delivery"
                        + " %.2f s after the command returned | raw loop median %.2f s, as a command %.2f s",
                results.get(0).target(), results.size(), ThroughputBench.median(ratios), ratios.get(0),
                ratios.get(ratios.size() - 1), ThroughputBench.median(commandRatios), commandRatios.get(0),
                commandRatios.get(commandRatios.size() - 1), median(results, Result::endToEnd),
                median(results, Result::command), median(results, Result::pickUp), median(results, Result::raw),
                median(results, Result::rawCommand));
    }

    private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> value) {
        return ThroughputBench.median(results.stream().map(value::applyAsDouble).sorted().toList());
    }

    private static Result run(String target, int n, Path jar, Optional<Integer> otherPort, ThroughputBench.RawLoop raw,
                              ServerReset emptyServer) throws Exception {
        Path dir = Files.createTempDirectory("jobdeck-send-path");
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir.resolve("data")),
                ConsoleServices.Options.console())) {
            if (otherPort.isPresent()) {
                services.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", otherPort.get()));
            }
            // As `jobdeck serve` runs: the console's host is up before anything is sent.
            services.startHost();
            SmtpSettings smtp = services.parts().outgoing().current();
            Path csv = ThroughputBench.csv(dir, n);
            ThroughputBench.settle();
            double rawBefore = raw.run(smtp, n, services.parts().engine().settings().workers())[0];
            emptyServer.empty(services);
            ThroughputBench.settle();

            Path log = dir.resolve("send.log");
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            Process send = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "send", "--data-dir", services.directory().path().toString(),
                    "--csv", csv.toString(), "--subject", ThroughputBench.SUBJECT, "--body", ThroughputBench.BODY)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int exit = send.waitFor();
            double commandSeconds = (System.nanoTime() - t0) / 1e9;
            String output = Files.readString(log);
            Matcher batch = BATCH.matcher(output);
            if (exit != 0 || !batch.find()) {
                throw new IllegalStateException("send exited with " + exit + ": " + output);
            }
            UUID batchId = UUID.fromString(batch.group(1));
            long jobs = services.parts().outbox().jobsOfBatch(batchId).stream().distinct().count();
            // JobRunr's per-state counts are one indexed query; the survival ledger would cost a core while polled.
            while (services.parts().queries().counts().of(JobState.SUCCEEDED) < jobs) {
                Thread.sleep(20);
            }
            long delivered = services.parts().reports().ledger(Optional.of(batchId)).delivered();
            if (delivered != n) {
                throw new IllegalStateException("delivered " + delivered + " of " + n);
            }
            Instant[] window = ThroughputBench.deliveryWindow(services);
            double firstSeconds = Duration.between(started, window[0]).toNanos() / 1e9;
            double endToEndSeconds = Duration.between(started, window[1]).toNanos() / 1e9;
            services.parts().engine().stopServer();
            emptyServer.empty(services);
            ThroughputBench.settle();
            double rawAfter = raw.run(smtp, n, services.parts().engine().settings().workers())[0];
            emptyServer.empty(services);
            ThroughputBench.settle();
            double rawCommand = rawLoopCommand(smtp, n, services.parts().engine().settings().workers());
            emptyServer.empty(services);
            double rawSeconds = (rawBefore + rawAfter) / 2;
            String line = String.format("%s: %d recipients in %d jobs | send command %.2f s (JVM start to exit),"
                            + " first e-mail sent %.2f s after the command started (%.2f s after it returned),"
                            + " last accepted after %.2f s: %.0f e-mails/s end to end | raw loop %.2f s (%.2f before,"
                            + " %.2f after): %.0f msgs/s, as a command %.2f s | ratio end to end %.2f, against the raw"
                            + " loop as a command %.2f",
                    target, n, jobs, commandSeconds, firstSeconds, firstSeconds - commandSeconds, endToEndSeconds,
                    n / endToEndSeconds, rawSeconds, rawBefore, rawAfter, n / rawSeconds, rawCommand,
                    rawSeconds / endToEndSeconds, rawCommand / endToEndSeconds);
            return new Result(target, line, endToEndSeconds, rawSeconds, rawCommand, commandSeconds,
                    firstSeconds - commandSeconds);
        } finally {
            ThroughputBench.deleteRecursively(dir);
        }
    }

    /** The raw loop as a program of its own, from starting its JVM to its exit. */
    private static double rawLoopCommand(SmtpSettings smtp, int n, int threads) throws Exception {
        long t0 = System.nanoTime();
        Process loop = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                RawLoopClient.class.getName(), smtp.host(), Integer.toString(smtp.port()), Integer.toString(n),
                Integer.toString(threads)).redirectErrorStream(true).start();
        String output = new String(loop.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (loop.waitFor() != 0) {
            throw new IllegalStateException("the raw loop command failed: " + output);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private SendPathBench() {
    }
}
