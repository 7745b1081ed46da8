package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.hosts.WorkerHost;
import dev.jobdeck.core.mail.HeaderText;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocations;
import dev.jobdeck.logging.ProcessLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code jobdeck worker}: a headless host in its own JVM on the store a running console serves. SIGTERM stops
 * it gracefully (it takes no new work, lets running jobs finish up to the drain deadline, hands back the rest);
 * SIGKILL is a crash, which is the point of the exercise.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run a worker host (a JobRunr background job server) on the store of a running console,",
                "or on a PostgreSQL store (--store postgresql://…), which needs no console.",
                "Exit codes: 0 stopped, 1 invalid input, 2 no data directory, 3 no console / in use, 4 store unreachable, 6 store lost."})
final class WorkerCommand implements Callable<Integer> {

    static final int NO_DATA = 2;
    static final int NOT_SERVED = 3;
    static final int UNREACHABLE = 4;
    static final int STORE_LOST = 6;

    @ParentCommand
    Main parent;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    StoreOption store;

    @Option(names = "--name", paramLabel = "NAME", description = "Host name shown on the Hosts screen (default: worker-PID).")
    String name;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "16", description = "Jobs run at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--host-id", paramLabel = "UUID", hidden = true, description = "Id chosen by the console that launched this host.")
    UUID hostId;

    @Option(names = "--in-memory", description = "Run e-mails handed to this host on a plain in-memory executor"
            + " (the QueueBackgroundWorkItem baseline) instead of JobRunr.")
    boolean inMemory;

    @Option(names = "--store-patience", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to keep retrying when the console's store stops answering (default: ${DEFAULT-VALUE}).")
    int storePatienceSeconds;

    private static final System.Logger LOG = System.getLogger(WorkerCommand.class.getName());

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || workers > 256) {
            err.println("jobdeck worker: --workers must be between 1 and 256 (" + workers + " given).");
            return 1;
        }
        if (storePatienceSeconds < 1) {
            err.println("jobdeck worker: --store-patience must be at least 1 second.");
            return 1;
        }
        Optional<String> badName = nameProblem(name);
        if (badName.isPresent()) {
            err.println("jobdeck worker: --name " + badName.get() + ".");
            return 1;
        }
        DataDirectory directory = dataDir.resolve(parent);
        int chosen = store.choose("worker", directory, err);
        if (chosen != 0) {
            return chosen;
        }
        // On PostgreSQL the worker connects to the server itself: no console needs to run, no local store file exists.
        boolean shared = StoreLocations.read(directory) instanceof StoreLocation.Postgres;
        String storeName = shared ? "the PostgreSQL store " + StoreLocations.read(directory).display()
                : "the store of " + directory.path();
        String stillThere = shared ? "Is PostgreSQL still running and reachable?" : "Is the console still running?";
        if (!shared && !directory.exists()) {
            err.println("jobdeck worker: no JobDeck data in " + directory.path()
                    + ". Start the console on it first (jobdeck --data-dir " + directory.path() + ").");
            return NO_DATA;
        }
        String hostName = name == null ? "worker-" + ProcessHandle.current().pid() : name;
        UUID id = hostId == null ? UUID.randomUUID() : hostId;
        WorkerHost host;
        try {
            host = ConsoleServices.openWorker(directory, hostName, workers);
        } catch (DataDirectoryLockedException e) {
            complain("jobdeck worker: " + e.getMessage(), null);
            return NOT_SERVED;
        } catch (StoreException e) {
            complain("jobdeck worker: " + e.getMessage(), e);
            return UNREACHABLE;
        } catch (RuntimeException e) {
            // JobRunr reading its tables through a store that went away between connect and start. The cause goes to
            // the log: JobRunr's own message names no reason.
            complain("jobdeck worker: " + storeName + " stopped answering while this host started ("
                    + e.getMessage() + "). " + stillThere, e);
            return UNREACHABLE;
        }
        host.start(id, inMemory);
        say(hostName, "running " + workers + (inMemory ? " in-memory threads" : " JobRunr workers") + " on "
                + directory.path() + " (pid " + ProcessHandle.current().pid() + ")");
        // Decision 21: the host pauses while the store is sick (StoreHealthWatch does that); say so where its output goes.
        host.onStoreHealthChange(health -> say(hostName, health.isWell() ? "the store is well again; taking work"
                : "store sick, taking no new work: " + health.message()));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        // A console's Drain or Stop through the store (decision 40): the host has stopped; this process ends with it.
        AtomicReference<String> stoppedOnCommand = new AtomicReference<>();
        host.onStoppedByCommand(request -> {
            stoppedOnCommand.set((request.command() == HostCommands.Command.DRAIN ? "drained" : "stopped")
                    + " on request of " + request.requestedBy());
            main.interrupt();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stoppedOnCommand.get() != null) {
                return;
            }
            main.interrupt();
            stopGracefully(host);
            stopped.countDown();
        }, "jobdeck-worker-stop"));
        try {
            String error = host.watchStore(Duration.ofSeconds(storePatienceSeconds), message -> say(hostName, message));
            complain("jobdeck worker " + hostName + ": " + storeName + " has not answered for "
                    + storePatienceSeconds + " s (" + error + "). " + stillThere + " Exiting.", null);
            Runtime.getRuntime().halt(STORE_LOST);
        } catch (InterruptedException e) {
            if (stoppedOnCommand.get() != null) {
                say(hostName, stoppedOnCommand.get() + "; exiting");
                host.close();
                return 0;
            }
            stopped.await();
        }
        return 0;
    }

    /** The Hosts screen and the incident log keep a host's name in 100 characters (jd_host.name). */
    static final int MAX_NAME = 100;

    static Optional<String> nameProblem(String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (name.isBlank()) {
            return Optional.of("must not be empty");
        }
        if (name.length() > MAX_NAME) {
            return Optional.of("is " + name.length() + " characters long; at most " + MAX_NAME + " are allowed");
        }
        return HeaderText.problem(name);
    }

    private void stopGracefully(WorkerHost host) {
        try {
            host.stop("stopped (SIGTERM)", message -> say(host.name(), message));
        } catch (SQLException | RuntimeException e) {
            complain("jobdeck worker " + host.name() + ": could not stop cleanly: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            host.close();
        }
    }

    /** A status line for whoever watches the terminal, and for the log. */
    private void say(String hostName, String message) {
        LOG.log(System.Logger.Level.INFO, message);
        out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " jobdeck worker " + hostName + ": " + message);
        out.flush();
    }

    /** An error as one sentence on the terminal; the log has it too, with the stack trace of {@code cause}. */
    private void complain(String sentence, Throwable cause) {
        SaidOnTheTerminal.error(WorkerCommand.class, sentence, cause);
        err.println(cause == null ? sentence : ProcessLog.withDetails(sentence));
        err.flush();
    }
}
