package dev.jobdeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreEndpoint;
import dev.jobdeck.testsupport.ChildJvm;
import dev.jobdeck.testsupport.SlowSmtpServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Not a unit test: {@code bench/owner-crash.sh} runs it. The README's crash drill, as issue 15 ran it, with the
 * Message-IDs counted at a real SMTP server: {@code serve} and a {@code worker} deliver {@code send --count N};
 * when about {@code killAt} messages have arrived the store's owner ({@code serve}) is killed with {@code kill -9}
 * and started again; at the end the survival report ({@code report --json}) must name every Message-ID the server
 * received twice, and its categories must add up to what was accepted.
 */
public final class OwnerCrashBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int emails = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int killAt = args.length > 2 ? Integer.parseInt(args[2]) : 700;
        Duration sendTime = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 100);
        Duration restartAfter = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 0);
        System.out.printf("owner crash drill: %d runs, %d e-mails, kill -9 of serve at %d received, sends take %d ms,"
                + " serve again %d ms later%n", runs, emails, killAt, sendTime.toMillis(), restartAfter.toMillis());
        System.out.println("run | delivered | accepted | failed | pending | lost | adds up | server got twice"
                + " | reported | twice not reported | reported, arrived once | worker back after | total s");
        int allMissing = 0;
        int allUnbalanced = 0;
        for (int run = 1; run <= runs; run++) {
            Result result = runOnce(run, emails, killAt, sendTime, restartAfter);
            allMissing += result.missing;
            allUnbalanced += result.addsUp ? 0 : 1;
        }
        System.out.printf("all runs: %d duplicate(s) not in the report, %d run(s) whose categories did not add up%n",
                allMissing, allUnbalanced);
        System.exit(allMissing == 0 && allUnbalanced == 0 ? 0 : 1);
    }

    private record Result(int missing, boolean addsUp) {
    }

    private static Result runOnce(int run, int emails, int killAt, Duration sendTime, Duration restartAfter) throws Exception {
        Path temp = Files.createTempDirectory("jobdeck-owner-crash");
        Path data = temp.resolve("data");
        DataDirectory directory = new DataDirectory(data);
        long start = System.nanoTime();
        Process serve = null;
        Process worker = null;
        try (SlowSmtpServer smtp = new SlowSmtpServer(sendTime)) {
            try (ConsoleServices setup = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
                setup.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", smtp.port()));
            }
            serve = startServe(temp, directory, 1);
            worker = ChildJvm.start(temp.resolve("worker.log"), "worker", "--data-dir", data.toString(), "--name", "w1",
                    "--workers", "16");
            Path workerLog = temp.resolve("worker.log");
            await(Duration.ofSeconds(90), () -> read(workerLog).contains("w1: running"));
            Process send = ChildJvm.start(temp.resolve("send.log"), "send", "--data-dir", data.toString(), "--to",
                    "ops@example.org", "--subject", "drill", "--count", Integer.toString(emails), "--json");
            if (!send.waitFor(120, TimeUnit.SECONDS) || send.exitValue() != 0) {
                throw new IllegalStateException("send failed: " + read(temp.resolve("send.log")));
            }
            UUID batch = UUID.fromString(JSON.readTree(lastLine(read(temp.resolve("send.log")))).get("batchId").asText());
            await(Duration.ofMinutes(5), () -> smtp.acceptedMessageIds().size() >= killAt);
            serve.destroyForcibly().waitFor();
            int atKill = smtp.acceptedMessageIds().size();
            Thread.sleep(restartAfter.toMillis());
            long restarted = System.nanoTime();
            serve = startServe(temp, directory, 2);
            // Back once the worker's JobRunr server heartbeats into the new console's store.
            java.time.Instant restartedAt = java.time.Instant.now();
            try (ConsoleServices script = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
                Process theWorker = worker;
                await(Duration.ofMinutes(3), () -> !theWorker.isAlive() || script.parts().engine().servers().stream()
                        .anyMatch(server -> server.getName().equals("w1") && server.isRunning()
                                && server.getLastHeartbeat().isAfter(restartedAt)));
            }
            double workerBack = (System.nanoTime() - restarted) / 1e9;
            await(Duration.ofMinutes(10), () -> {
                try {
                    return reportOf(temp, data, batch).get("ledger").get("pending").asLong() == 0;
                } catch (Exception e) {
                    System.out.println("    (report: " + e.getMessage() + ")");
                    return false;
                }
            });
            JsonNode report = reportOf(temp, data, batch);
            JsonNode ledger = report.get("ledger");
            long accepted = ledger.get("accepted").asLong();
            long delivered = ledger.get("delivered").asLong();
            long failed = ledger.get("failed").asLong();
            long pending = ledger.get("pending").asLong();
            long deleted = ledger.get("deleted").asLong();
            long lost = ledger.get("lost").asLong();
            boolean addsUp = delivered + failed + pending + deleted + lost == accepted;
            Set<String> reported = new HashSet<>();
            report.get("reExecutions").forEach(entry -> reported.add(entry.get("messageId").asText()));
            Map<String, Integer> twice = smtp.duplicates();
            int missing = (int) twice.keySet().stream().filter(id -> !reported.contains(id)).count();
            int once = (int) reported.stream().filter(id -> !twice.containsKey(id)).count();
            System.out.printf("%3d | %9d | %8d | %6d | %7d | %4d | %7s | %16d | %8d | %18d | %21d | %15.1f s | %7.0f"
                            + "   (received %d at the kill)%n", run, delivered, accepted, failed, pending, lost,
                    addsUp ? "yes" : "NO", twice.size(), reported.size(), missing, once, workerBack,
                    (System.nanoTime() - start) / 1e9, atKill);
            return new Result(missing, addsUp);
        } finally {
            stop(worker);
            stop(serve);
            Path keep = Path.of("target", "owner-crash", "run-" + run);
            Files.createDirectories(keep);
            for (String log : new String[] {"serve-1.log", "serve-2.log", "worker.log", "send.log"}) {
                if (Files.exists(temp.resolve(log))) {
                    Files.copy(temp.resolve(log), keep.resolve(log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Process startServe(Path temp, DataDirectory directory, int number) throws Exception {
        Process serve = ChildJvm.start(temp.resolve("serve-" + number + ".log"), "serve", "--data-dir",
                directory.path().toString());
        await(Duration.ofSeconds(90), () -> StoreEndpoint.read(directory).filter(e -> e.pid() == serve.pid()).isPresent()
                || !serve.isAlive());
        if (!serve.isAlive()) {
            throw new IllegalStateException("serve did not start: " + read(temp.resolve("serve-" + number + ".log")));
        }
        return serve;
    }

    private static JsonNode reportOf(Path temp, Path data, UUID batch) throws Exception {
        Path out = temp.resolve("report.json");
        Process report = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.jobdeck.cli.Main", "report", "--data-dir",
                data.toString(), "--batch", batch.toString(), "--json", "--incidents", "1000")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(temp.resolve("report.err").toFile()))
                .start();
        if (!report.waitFor(120, TimeUnit.SECONDS)) {
            report.destroyForcibly();
            throw new IllegalStateException("report did not answer in 120 s");
        }
        return JSON.readTree(read(out));
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static void await(Duration atMost, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + atMost.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
