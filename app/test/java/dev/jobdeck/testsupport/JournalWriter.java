package dev.jobdeck.testsupport;

import dev.jobdeck.core.jobs.MessageIds;
import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.DeliveryLedger.Begin;
import dev.jobdeck.core.store.DeliveryLedger.Finish;
import dev.jobdeck.core.store.LedgerJournal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A child JVM that journals what a bulk job does for some recipients and then waits to be killed: the host that
 * dies mid-bulk before its journal was folded. Arguments: the journal directory, the bulk job id, then one
 * {@code jobId,emailId} per recipient it delivered; the last recipient is left started (in doubt) when
 * {@code --last-in-doubt} comes first.
 */
public final class JournalWriter {

    public static final String READY = "journaled";

    private JournalWriter() {
    }

    public static void main(String[] args) throws Exception {
        boolean lastInDoubt = args[0].equals("--last-in-doubt");
        int first = lastInDoubt ? 1 : 0;
        // This process never folds: the ledger is not used, so it needs no store.
        LedgerJournal journal = new LedgerJournal(Path.of(args[first]), new DeliveryLedger(null, null), Duration.ZERO);
        UUID bulk = UUID.fromString(args[first + 1]);
        Finish pending = null;
        UUID run = UUID.randomUUID();
        for (int i = first + 2; i < args.length; i++) {
            String[] ids = args[i].split(",");
            UUID job = UUID.fromString(ids[0]);
            journal.record(bulk, pending, new Begin(job, run, 1, UUID.fromString(ids[1]), "worker-gone",
                    MessageIds.forJob(job), Instant.now()));
            pending = new Finish(job, run, 1, Outcome.SENT, 250, "250 2.0.0 OK", Instant.now());
        }
        if (!lastInDoubt) {
            journal.record(bulk, pending, null);
        }
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts one in a child JVM and returns once it has journaled. */
    public static Process start(Path log, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), JournalWriter.class.getName()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!java.nio.file.Files.exists(log) || !java.nio.file.Files.readString(log).contains(READY)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("The journal writer did not start: " + java.nio.file.Files.readString(log));
            }
            Thread.sleep(50);
        }
        return process;
    }
}
