package dev.jobdeck.bench;

import dev.jobdeck.testsupport.ListeningPostgres;
import dev.jobdeck.testsupport.NetworkNamespace;
import dev.jobdeck.testsupport.WorkerKillOnPostgres;
import dev.jobdeck.testsupport.WorkerKillOnPostgres.Outcome;
import dev.jobdeck.testsupport.WorkerKillOnPostgres.Where;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a unit test: {@code bench/remote-recovery.sh} runs it. Issue 17's "recovery after kill -9 of a worker on
 * PostgreSQL, seen by the console and not seen (a host in another network namespace)": each round kills a worker of
 * each {@link Where} mid-batch and times the kill to the whole batch delivered by the console's own host. The worker
 * the console launched (and sees die) is the baseline of the ratios.
 */
public final class RemoteRecoveryBench {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        if (!NetworkNamespace.available()) {
            System.out.println("remote-recovery: no network namespace here (" + NetworkNamespace.unavailableReason() + ")");
            System.exit(1);
        }
        System.out.printf("kill -9 of a worker (4 workers) on PostgreSQL mid-batch of %d e-mails (1.5 s each), "
                + "5 s poll, multiplicand 4; time from the kill to every job succeeded (to all delivered)%n", WorkerKillOnPostgres.BATCH);
        try (NetworkNamespace namespace = NetworkNamespace.open();
             ListeningPostgres postgres = ListeningPostgres.start(namespace.hostCidr())) {
            Path temp = Files.createTempDirectory("jobdeck-remote-recovery");
            for (int round = 1; round <= rounds; round++) {
                double seen = 0;
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (Where where : new Where[] {Where.LAUNCHED_BY_CONSOLE, Where.LOOPBACK_UNSUPERVISED, Where.OTHER_NAMESPACE}) {
                    Outcome outcome = WorkerKillOnPostgres.run(where, postgres, namespace,
                            temp.resolve(round + "-" + where.name()));
                    double seconds = outcome.recovery().toMillis() / 1000.0;
                    if (where == Where.LAUNCHED_BY_CONSOLE) {
                        seen = seconds;
                    }
                    line.append(String.format(" %s %.1f s (%.1f s; %d in flight, lost %d, %d duplicates%s);", where.label(),
                            seconds, outcome.delivered().toMillis() / 1000.0, outcome.inFlight(), outcome.ledger().lost(), outcome.duplicates().size(),
                            where == Where.LAUNCHED_BY_CONSOLE ? "" : String.format(", ratio %.2f", seconds / seen)));
                }
                System.out.println(line);
            }
            System.out.println("(data directories and worker logs in " + temp + ")");
        }
        System.exit(0);
    }
}
