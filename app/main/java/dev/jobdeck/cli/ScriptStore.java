package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.StoreException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the one-shot commands ({@code status}, {@code send}, {@code report}) reach the store: through the running
 * console when there is one, else by opening it themselves. Failures become a sentence and an exit code.
 */
final class ScriptStore {

    static final int NO_DATA = 2;
    static final int LOCKED = 3;
    static final int UNREADABLE = 4;

    /** An open store, or the exit code to return after the message was printed. */
    record Opened(ConsoleServices services, int exitCode) {
    }

    private ScriptStore() {
    }

    static DataDirectory directory(Path option, Main parent) {
        Optional<Path> chosen = Optional.ofNullable(option).or(() -> Optional.ofNullable(parent == null ? null : parent.dataDir));
        return DataDirectory.resolve(chosen, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Opened open(String command, DataDirectory directory, boolean mustExist, PrintStream err) {
        if (mustExist && !directory.exists()) {
            err.println("jobdeck " + command + ": no JobDeck data in " + directory.path()
                    + " (the directory or its database does not exist). Pass --data-dir DIR or set JOBDECK_HOME.");
            return new Opened(null, NO_DATA);
        }
        try {
            return new Opened(ConsoleServices.open(directory, ConsoleServices.Options.storeOnly()), 0);
        } catch (DataDirectoryLockedException e) {
            err.println("jobdeck " + command + ": " + e.getMessage());
            return new Opened(null, LOCKED);
        } catch (StoreException e) {
            err.println("jobdeck " + command + ": " + e.getMessage());
            return new Opened(null, UNREADABLE);
        } catch (RuntimeException e) {
            // JobRunr reading its tables through a store that went away between connecting and starting.
            System.getLogger(ScriptStore.class.getName()).log(System.Logger.Level.INFO, "Opening the store failed", e);
            err.println("jobdeck " + command + ": the store of " + directory.path() + " stopped answering while it was"
                    + " opened (" + e.getMessage() + "). Is the console still running?");
            return new Opened(null, UNREADABLE);
        }
    }
}
