package dev.jobdeck.core;

import dev.jobdeck.core.ConsoleServices.Options;
import dev.jobdeck.core.ConsoleServices.Role;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.DirectoryLock;
import dev.jobdeck.core.store.StoreCredentials;
import dev.jobdeck.core.store.StoreEndpoint;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens the store as a role needs it, and holds the console's lock on its data directory (closed by closing this).
 * A worker goes through the console that serves it. A script does so too when a console serves it, and otherwise
 * opens the file itself. A console opens the file itself. Only one process can hold the file: a console or script
 * that finds a script holding it waits for that script (scripts are short: a console restarted right after a crash
 * is not refused because a {@code status} ran meanwhile), and a script that finds a console still starting
 * (recovering before it serves) waits for it to serve, each for at most {@link #LOCK_PATIENCE}.
 */
final class StoreOpener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StoreOpener.class.getName());
    /** How long opening a data directory waits for a script that holds it, or for a console that is starting. */
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(60);

    /** The longest a script waits for any answer from the console that serves the store. */
    private static final Duration SCRIPT_NETWORK_TIMEOUT = Duration.ofSeconds(20);

    private final DataDirectory directory;
    /** The console's lock on its directory; taken again when a deleted directory is written back. */
    private DirectoryLock lock;
    /** The directory (its file key) that {@link #lock} locks: a retried write-back must not lock it twice. */
    private Object lockedDirectory;

    StoreOpener(DataDirectory directory) {
        this.directory = directory;
    }

    Database open(Options options) throws StoreException {
        if (StoreLocations.read(directory) instanceof StoreLocation.Postgres postgres) {
            return openShared(options, postgres);
        }
        if (options.role() == Role.WORKER) {
            return connect(options, StoreEndpoint.read(directory).filter(StoreEndpoint::ownerAlive));
        }
        long deadline = System.nanoTime() + LOCK_PATIENCE.toNanos();
        boolean said = false;
        while (true) {
            Optional<StoreEndpoint> served = StoreEndpoint.read(directory).filter(StoreEndpoint::ownerAlive);
            if (options.role() == Role.SCRIPT && served.isPresent()) {
                return connect(options, served);
            }
            directory.prepareForWriting();
            String purpose = options.role() == Role.CONSOLE ? DirectoryLock.CONSOLE : DirectoryLock.SCRIPT;
            try {
                lock = DirectoryLock.acquire(directory, purpose,
                        holder -> holder.contains(DirectoryLock.SCRIPT) && System.nanoTime() < deadline);
                lockedDirectory = fileKey(directory.path());
                return options.role() == Role.SCRIPT ? Database.openBriefly(directory, options.engine().workers() + 8)
                        : Database.open(directory, options.engine().workers() + 8);
            } catch (DataDirectoryLockedException e) {
                String holder = DirectoryLock.holder(directory);
                boolean consoleStarting = options.role() == Role.SCRIPT && holder.contains(DirectoryLock.CONSOLE)
                        && DirectoryLock.heldElsewhere(holder);
                if (!consoleStarting || System.nanoTime() >= deadline) {
                    throw e;
                }
                if (!said) {
                    said = true;
                    LOG.log(System.Logger.Level.INFO, "Waiting for the console that is starting on {0} to serve it",
                            directory.path());
                }
            }
            sleepQuietly(Duration.ofMillis(200));
        }
    }

    /**
     * A store in PostgreSQL (issue 17): every console, host and script connects to the server itself, on any machine;
     * none owns or serves it. A console still locks its data directory, which keeps its own local files (logs, the
     * ledger journal, the built-in sink's mailbox). The password is the one the directory keeps (decision 36).
     */
    private Database openShared(Options options, StoreLocation.Postgres postgres) throws StoreException {
        StoreCredentials credentials = StoreCredentials.resolve(postgres, Optional.empty(),
                new StorePasswordVault(Secrets.forDirectory(directory, System.getenv())), System.getProperty("user.name"));
        if (options.role() == Role.CONSOLE) {
            directory.prepareForWriting();
            lock = DirectoryLock.acquire(directory, DirectoryLock.CONSOLE, holder -> false);
            lockedDirectory = fileKey(directory.path());
        }
        return Database.openShared(directory, postgres.jdbcUrl(), credentials.user(),
                credentials.password().orElse(null), options.engine().workers() + 8);
    }

    private Database connect(Options options, Optional<StoreEndpoint> served) throws StoreException {
        if (served.isEmpty()) {
            if (DirectoryLock.isHeld(directory)) {
                throw new DataDirectoryLockedException("The data directory " + directory.path() + " is in use by "
                        + DirectoryLock.owner(directory) + ", which does not share it. Wait until it has finished.");
            }
            throw new DataDirectoryLockedException("No JobDeck console is running on " + directory.path()
                    + ". Workers run on the store the console serves: start the console first"
                    + " (jobdeck --data-dir " + directory.path() + ").");
        }
        // A script never waits on a console that stopped answering for longer than this; a worker rides it out.
        Duration networkTimeout = options.role() == Role.SCRIPT ? SCRIPT_NETWORK_TIMEOUT : Duration.ZERO;
        return Database.connect(directory, options.engine().workers() + 4, networkTimeout);
    }

    /** The data directory was deleted and is being written back: lock it again unless the lock is on it already. */
    void relock() throws StoreException {
        Object here = fileKey(directory.path());
        if (here == null || !here.equals(lockedDirectory)) {
            DirectoryLock fresh = DirectoryLock.acquire(directory, "console");
            DirectoryLock old = lock;
            lock = fresh;
            lockedDirectory = here;
            old.close();
        }
    }

    private static void sleepQuietly(Duration duration) throws StoreException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while opening the data directory");
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        if (lock != null) {
            lock.close();
        }
    }
}
