package dev.jobdeck.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An operating-system lock on {@code console.lock} in the data directory. The OS releases it when the
 * owning process dies, even by {@code kill -9}, so a crashed console never leaves a stale lock behind.
 * It is taken before H2 opens the file so a second console gets a plain sentence, not H2's error 90020.
 */
public final class DirectoryLock implements AutoCloseable {

    private static final String LOCK_FILE = "console.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The purpose a console writes into the lock; scripts write {@link #SCRIPT}. */
    public static final String CONSOLE = "console";
    public static final String SCRIPT = "command line";

    /**
     * Takes the lock, or, while another JobDeck process holds it, waits as long as {@code mayWait} says so for that
     * holder (read from the lock file: e.g. "pid 4242, command line"), checking every 200 ms. Throws
     * {@link DataDirectoryLockedException} when it may not wait (any more).
     */
    public static DirectoryLock acquire(DataDirectory directory, String purpose, java.util.function.Predicate<String> mayWait)
            throws StoreException {
        while (true) {
            try {
                return acquire(directory, purpose);
            } catch (DataDirectoryLockedException e) {
                String holder = holder(directory);
                if (!heldElsewhere(holder) || !mayWait.test(holder)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataDirectoryLockedException("Interrupted while waiting for the data directory "
                        + directory.path() + " to be free.");
            }
        }
    }

    /**
     * Whether a holder (as {@link #holder} read it) is another process: never wait for this process itself (two
     * services in one JVM, as in tests), it would wait for itself.
     */
    public static boolean heldElsewhere(String holder) {
        return !holder.startsWith("pid " + ProcessHandle.current().pid() + ",");
    }

    /** What the process holding (or last holding) the lock wrote: e.g. "pid 4242, command line"; empty if nothing. */
    public static String holder(DataDirectory directory) {
        try (FileChannel channel = FileChannel.open(directory.path().resolve(LOCK_FILE), StandardOpenOption.READ)) {
            return readOwner(channel);
        } catch (IOException e) {
            return "";
        }
    }

    public static DirectoryLock acquire(DataDirectory directory, String purpose) throws StoreException {
        Path file = directory.path().resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), OwnerOnly.fileAttributes());
        } catch (IOException e) {
            throw new StoreException("Cannot open the lock file " + file + ": " + DataDirectory.describe(e), e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String owner = readOwner(channel);
                channel.close();
                throw new DataDirectoryLockedException("The data directory " + directory.path()
                        + " is in use by another JobDeck process" + (owner.isEmpty() ? "" : " (" + owner + ")")
                        + ". Close it first, or use another directory with --data-dir.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + purpose)
                    .getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new DirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new DataDirectoryLockedException("The data directory " + directory.path()
                    + " is already open in this JobDeck process.");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("Cannot lock the data directory " + directory.path() + ": " + DataDirectory.describe(e), e);
        }
    }

    /** Whether some process holds the lock now (tries it and lets go at once). */
    public static boolean isHeld(DataDirectory directory) {
        Path file = directory.path().resolve(LOCK_FILE);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Who holds (or last held) the lock, as it wrote itself down: e.g. "pid 4242, command line". */
    public static String owner(DataDirectory directory) {
        try (FileChannel channel = FileChannel.open(directory.path().resolve(LOCK_FILE), StandardOpenOption.READ)) {
            String owner = readOwner(channel);
            return owner.isEmpty() ? "another process" : "another process (" + owner + ")";
        } catch (IOException e) {
            return "another process";
        }
    }

    private static String readOwner(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already failing with a clearer error; a close failure adds nothing the operator can act on.
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The OS drops the lock with the process anyway; nothing is left to clean up.
            System.getLogger(DirectoryLock.class.getName()).log(System.Logger.Level.DEBUG, "lock release failed", e);
        }
    }
}
