package dev.jobdeck.cli;

import dev.jobdeck.core.ScriptServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.DirectoryCheck;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreHealth;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocations;
import dev.jobdeck.logging.ProcessLog;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * How the one-shot commands ({@code status}, {@code send}, {@code report}) reach the store: through the running
 * console when there is one, else by opening it themselves. Failures become a sentence and an exit code.
 */
final class ScriptStore {

    static final int NO_DATA = 2;
    static final int LOCKED = 3;
    static final int UNREADABLE = 4;
    /** The store cannot take writes now (a full disk, a read-only or deleted directory): see StoreHealth. */
    static final int SICK = 5;

    /** An open store, or the exit code to return after the message was printed. */
    record Opened(ScriptServices services, int exitCode) {
    }

    private ScriptStore() {
    }

    static DataDirectory directory(Path option, Main parent) {
        Optional<Path> chosen = Optional.ofNullable(option).or(() -> Optional.ofNullable(parent == null ? null : parent.dataDir));
        return DataDirectory.resolve(chosen, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Opens the store for a command. Only a console creates a store (decision 21): a script finding no store says so,
     * since a data directory deleted under a running console would otherwise get a second, empty store at once.
     * {@code writes} commands are refused while the directory is sick (nothing would be accepted that the disk
     * cannot hold); the others open it all the same and report it.
     */
    static Opened open(String command, DataDirectory directory, boolean writes, PrintStream err) {
        return open(command, directory, writes, err, SAY_STILL_OPENING_AFTER);
    }

    /**
     * How long an open may take before the command says why it is waiting: the first start of a new version builds
     * its new indexes (minutes at a million jobs), and a store left open by a crash is checked, while the terminal
     * would otherwise show nothing.
     */
    static final java.time.Duration SAY_STILL_OPENING_AFTER = java.time.Duration.ofSeconds(3);

    static Opened open(String command, DataDirectory directory, boolean writes, PrintStream err,
                       java.time.Duration sayStillOpeningAfter) {
        StoreLocation location;
        try {
            location = StoreLocations.read(directory);
        } catch (StoreException e) {
            err.println("jobdeck " + command + ": " + e.getMessage());
            return new Opened(null, UNREADABLE);
        }
        // A PostgreSQL store is not a file here and no console serves it: every command connects to the server itself.
        boolean shared = location instanceof StoreLocation.Postgres;
        if (!shared && !directory.exists()) {
            err.println("jobdeck " + command + ": no JobDeck data in " + directory.path()
                    + " (the directory or its database does not exist). Start the console on it first"
                    + " (jobdeck --data-dir DIR, or jobdeck serve --data-dir DIR), or pass the right --data-dir.");
            return new Opened(null, NO_DATA);
        }
        if (writes) {
            StoreHealth health = checkDirectory(directory);
            if (!health.isWell()) {
                err.println("jobdeck " + command + ": nothing was queued. " + health.message());
                return new Opened(null, SICK);
            }
        }
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "jobdeck-still-opening");
                    thread.setDaemon(true);
                    return thread;
                });
        timer.schedule(() -> err.println("jobdeck " + command + ": still opening the store in " + directory.path()
                        + ": a new version builds its new indexes once (minutes at a million jobs), and a store that was"
                        + " not closed cleanly is checked. The store's log says which: " + directory.path().resolve("logs")),
                sayStillOpeningAfter.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            return new Opened(ScriptServices.open(directory), 0);
        } catch (DataDirectoryLockedException e) {
            err.println("jobdeck " + command + ": " + e.getMessage());
            return new Opened(null, LOCKED);
        } catch (StoreException e) {
            SaidOnTheTerminal.error(ScriptStore.class, "jobdeck " + command + ": " + e.getMessage(), e);
            err.println(ProcessLog.withDetails("jobdeck " + command + ": " + e.getMessage()));
            return new Opened(null, UNREADABLE);
        } catch (RuntimeException e) {
            // JobRunr reading its tables through a store that went away between connecting and starting.
            System.getLogger(ScriptStore.class.getName()).log(System.Logger.Level.INFO, "Opening the store failed", e);
            err.println("jobdeck " + command + ": " + (shared ? "the PostgreSQL store " + location.display()
                    : "the store of " + directory.path()) + " stopped answering while it was opened (" + e.getMessage()
                    + ")." + (shared ? "" : " Is the console still running?"));
            return new Opened(null, UNREADABLE);
        } finally {
            timer.shutdownNow();
        }
    }

    /** What the file system says about the data directory now, as the console's own monitor would see it. */
    static StoreHealth checkDirectory(DataDirectory directory) {
        return DirectoryCheck.ofDirectory(directory, DirectoryCheck.configuredReserve()).check(Instant.now());
    }
}
