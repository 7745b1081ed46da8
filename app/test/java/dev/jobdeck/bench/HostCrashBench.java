package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.testsupport.ChildJvm;
import dev.jobdeck.testsupport.SlowSmtpServer;
import org.jobrunr.jobs.states.StateName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Not a unit test: {@code bench/host-crash.sh} runs it. Host A holds N in-flight jobs (held by the server), host B
 * is idle; A gets {@code kill -9}. Measured: from the kill until all N jobs succeeded on B. Two ways, in the same
 * run: A started by the console (which sees it exit and hands its jobs back at once), and A started outside the
 * console (only JobRunr's own orphan detection can find its jobs): the baseline.
 */
public final class HostCrashBench {

    /** Held sends, so the jobs are still in flight on A however long B takes to start. */
    private static final Duration HELD = Duration.ofSeconds(60);
    private static final Duration SEND_TIME = Duration.ofMillis(200);

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        System.out.printf("kill -9 of a host holding %d in-flight jobs (re-sends take %d ms), 5 s poll, multiplicand 4%n",
                inFlight, SEND_TIME.toMillis());
        for (int run = 1; run <= runs; run++) {
            double seen = measure(inFlight, true);
            double unseen = measure(inFlight, false);
            System.out.printf("run %d: seen by the console %.1f s, JobRunr's detection alone %.1f s, ratio %.2f%n",
                    run, seen, unseen, seen / unseen);
        }
    }

    private static double measure(int inFlight, boolean supervised) throws Exception {
        Path dir = Files.createTempDirectory("jobdeck-crash-bench");
        try (SlowSmtpServer smtp = new SlowSmtpServer(HELD);
             ConsoleServices console = ConsoleServices.open(new DataDirectory(dir), ConsoleServices.Options.console())) {
            console.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", smtp.port()));
            HostPolicy policy = console.parts().liveSettings().policy();
            console.parts().liveSettings().updatePolicy(new HostPolicy(policy.pollInterval(), policy.timeoutMultiplicand(),
                    policy.recycleDeadline(), false));
            HostSupervisor supervisor = console.parts().supervisor().orElseThrow();
            Process unsupervised = null;
            UUID victim;
            if (supervised) {
                supervisor.startWorkers(1, HostRecord.Kind.WORKER, inFlight);
            } else {
                unsupervised = ChildJvm.start(dir.resolve("a.log"), "worker", "--data-dir", dir.toString(),
                        "--name", "unwatched", "--workers", Integer.toString(inFlight));
            }
            awaitRunning(supervisor, 1);
            QueueResult batch = console.parts().queue().queue(new SendRequest("bench@jobdeck.test",
                    IntStream.rangeClosed(1, inFlight).mapToObj(i -> "user" + i + "@example.org")
                            .collect(Collectors.joining("\n")), "", "", "crash bench", "body", new When.Now()));
            waitUntil(() -> console.parts().engine().processingCounts().values().stream().anyMatch(n -> n == inFlight), 60);
            victim = console.parts().engine().processingCounts().entrySet().stream().filter(e -> e.getValue() == inFlight)
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            supervisor.startWorkers(1, HostRecord.Kind.WORKER, inFlight);
            awaitRunning(supervisor, 2);
            smtp.delay(SEND_TIME);
            long start = System.nanoTime();
            if (supervised) {
                supervisor.crash(victim);
            } else {
                unsupervised.destroyForcibly();
            }
            waitUntil(() -> batch.jobIds().stream().allMatch(id ->
                    console.parts().engine().storage().getJobById(id).getState() == StateName.SUCCEEDED), 180);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (console.parts().reports().ledger(Optional.of(batch.batchId())).lost() != 0) {
                throw new IllegalStateException("e-mails were lost");
            }
            return seconds;
        }
    }

    private static void awaitRunning(HostSupervisor supervisor, int count) throws Exception {
        waitUntil(() -> supervisor.hosts().stream().filter(h -> h.kind() == HostRecord.Kind.WORKER
                && h.state() == HostStatus.State.RUNNING && h.lastHeartbeat() != null).count() >= count, 60);
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void waitUntil(Check check, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.done()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
