package dev.jobdeck.testsupport;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;

import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/**
 * One round of issue 17's "recovery after kill -9 of a worker on PostgreSQL": a console on a PostgreSQL store (its own
 * host not started) queues a batch, one worker host takes it, the worker gets {@code kill -9} with jobs in flight, the
 * console's own host starts, and the clock runs from the kill until every job of the batch succeeded. Where the
 * worker runs is the {@link Where}. Shared by {@code WorkerInAnotherNetworkNamespaceTest} (which asserts on the
 * {@link Outcome}) and {@code RemoteRecoveryBench} (which prints it).
 */
public final class WorkerKillOnPostgres {

    public static final int BATCH = 40;
    private static final Duration SEND_TIME = Duration.ofMillis(1500);
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    /** Where the killed worker runs, and so who can see it die. */
    public enum Where {
        /** In another network namespace, its own data directory, reaching PostgreSQL and SMTP on the veth pair. */
        OTHER_NAMESPACE("another network namespace, not seen"),
        /** On this machine (127.0.0.1), its own data directory, started outside the console. */
        LOOPBACK_UNSUPERVISED("127.0.0.1, not seen"),
        /** Launched by the console's supervisor, which sees its process end. */
        LAUNCHED_BY_CONSOLE("launched by the console, seen");

        private final String label;

        Where(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What one round showed: jobs in flight at the kill, time from the kill to the whole batch delivered and to every
     * job of it succeeded (the dead host's included), the ledger, what the SMTP server received, and the worker as the
     * console listed it while it ran.
     */
    public record Outcome(Where where, long inFlight, Duration delivered, Duration recovery, SurvivalReport.Ledger ledger,
                          List<String> acceptedMessageIds, Map<String, Integer> duplicates, HostStatus workerSeen) {
    }

    private WorkerKillOnPostgres() {
    }

    /**
     * Runs one round in {@code temp} on a fresh database of {@code postgres}; {@code namespace} is needed only for
     * {@link Where#OTHER_NAMESPACE} (and its host address must be one {@code postgres} listens on).
     */
    public static Outcome run(Where where, ListeningPostgres postgres, NetworkNamespace namespace, Path temp)
            throws Exception {
        PostgresServer.Database store = postgres.freshDatabase();
        String smtpHost = where == Where.OTHER_NAMESPACE ? namespace.hostAddress() : "127.0.0.1";
        Process worker = null;
        try (SlowSmtpServer smtp = new SlowSmtpServer(SEND_TIME, InetAddress.getByName(smtpHost));
             ConsoleServices console = ConsoleServices.open(directoryOn(temp.resolve("console"), store),
                     ConsoleServices.Options.console())) {
            console.parts().outgoing().useServer(SmtpSettings.of(smtpHost, smtp.port()));
            HostSupervisor supervisor = console.parts().supervisor().orElseThrow();
            String name;
            switch (where) {
                case OTHER_NAMESPACE -> {
                    name = "remote-ns";
                    worker = ChildJvm.startPrefixed(namespace.command(List.of()), temp.resolve("worker.out"), "worker",
                            "--data-dir", temp.resolve("worker").toString(), "--store",
                            ListeningPostgres.at(store, namespace.hostAddress()).url(), "--password-stdin",
                            "--name", name, "--workers", "4");
                    try (OutputStream stdin = worker.getOutputStream()) {
                        stdin.write((store.password() + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                case LOOPBACK_UNSUPERVISED -> {
                    name = "remote-lo";
                    worker = ChildJvm.start(temp.resolve("worker.out"), "worker", "--data-dir",
                            directoryOn(temp.resolve("worker"), store).path().toString(), "--name", name, "--workers", "4");
                }
                default -> name = supervisor.startWorkers(1, HostRecord.Kind.WORKER, 4).get(0);
            }
            HostStatus seen = await().atMost(TIMEOUT).until(() -> hostNamed(supervisor, name),
                    host -> host.isPresent() && host.get().state() == HostStatus.State.RUNNING).orElseThrow();
            QueueResult batch = console.parts().queue().queue(Consoles.email(IntStream.range(0, BATCH)
                    .mapToObj(i -> "r" + i + "@example.org").collect(Collectors.joining(",\n"))));
            await().atMost(TIMEOUT).until(() -> !smtp.acceptedMessageIds().isEmpty()
                    && console.parts().queries().counts().of(JobState.PROCESSING) > 0);
            long killed = System.nanoTime();
            if (worker != null) {
                worker.destroyForcibly().waitFor();
            } else {
                supervisor.crash(seen.id());
            }
            long inFlight = console.parts().queries().counts().of(JobState.PROCESSING);
            console.startHost();
            // Delivered can come first: an e-mail the dead host sent and recorded just before the kill is delivered
            // while its job still waits to be found orphaned. Recovery is the last job done.
            long[] deliveredAt = {0};
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                SurvivalReport.Ledger ledger = console.parts().reports().ledger(Optional.of(batch.batchId()));
                if (deliveredAt[0] == 0 && ledger.delivered() == BATCH) {
                    deliveredAt[0] = System.nanoTime();
                }
                return ledger.succeeded() == BATCH;
            });
            Duration recovery = Duration.ofNanos(System.nanoTime() - killed);
            return new Outcome(where, inFlight, Duration.ofNanos(deliveredAt[0] - killed), recovery,
                    console.parts().reports().ledger(Optional.of(batch.batchId())), smtp.acceptedMessageIds(), smtp.duplicates(),
                    seen);
        } finally {
            if (worker != null) {
                worker.destroyForcibly().waitFor();
            }
        }
    }

    private static Optional<HostStatus> hostNamed(HostSupervisor supervisor, String name) throws Exception {
        return supervisor.hosts().stream().filter(host -> host.name().equals(name)).findFirst();
    }

    /** A data directory that remembers the store and keeps its password, as {@code --store … --password-stdin} leaves it. */
    private static DataDirectory directoryOn(Path path, PostgresServer.Database store) throws Exception {
        return StoreKind.directoryOn(store, new DataDirectory(path));
    }
}
