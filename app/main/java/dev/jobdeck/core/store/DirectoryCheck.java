package dev.jobdeck.core.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What the file system says about a data directory, without touching the database: it is still there and still
 * the same directory (and file) the store was opened in, a file can be created in it, and its disk has more free
 * space than the reserve. Any JobDeck process on the machine can run it (the console, a worker, {@code status}),
 * so they all reach the same verdict without asking each other.
 *
 * <p>The reserve exists because H2 does not survive a full disk well: a chunk write that fails closes the whole
 * database, and commits it had acknowledged may be missing when it reopens (decision 21). JobDeck stops writing
 * while there is still room for what is in flight.
 */
public final class DirectoryCheck {

    /** Default free space kept on the data directory's disk: {@code -Djobdeck.diskReserveMb=N} changes it. */
    public static final long DEFAULT_RESERVE = 32L * 1024 * 1024;

    private final DataDirectory directory;
    private final long reserve;
    private final Object directoryKey;
    private final Object databaseKey;

    private DirectoryCheck(DataDirectory directory, long reserve, Object directoryKey, Object databaseKey) {
        this.directory = directory;
        this.reserve = reserve;
        this.directoryKey = directoryKey;
        this.databaseKey = databaseKey;
    }

    /** For a process that has the store open: remembers which directory and file those are, to notice a swap. */
    public static DirectoryCheck ofOpenStore(DataDirectory directory, long reserve) {
        return new DirectoryCheck(directory, reserve, keyOf(directory.path()), keyOf(directory.databaseFile()));
    }

    /** For a one-shot command: the directory as it is now. */
    public static DirectoryCheck ofDirectory(DataDirectory directory, long reserve) {
        return new DirectoryCheck(directory, reserve, null, null);
    }

    /** The reserve from {@code -Djobdeck.diskReserveMb}, else {@link #DEFAULT_RESERVE}. */
    public static long configuredReserve() {
        String value = System.getProperty("jobdeck.diskReserveMb");
        if (value == null || value.isBlank()) {
            return DEFAULT_RESERVE;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim())) * 1024 * 1024;
        } catch (NumberFormatException e) {
            return DEFAULT_RESERVE;
        }
    }

    public DataDirectory directory() {
        return directory;
    }

    public long reserve() {
        return reserve;
    }

    /** The verdict now; never throws and never blocks on the database. */
    public StoreHealth check(Instant now) {
        return check(now, false);
    }

    /**
     * As {@link #check(Instant)}; {@code wasFull} asks for a quarter more than the reserve before the disk counts as
     * free again, so that delivery resuming (and filling the disk a little) does not flip the verdict every second.
     */
    public StoreHealth check(Instant now, boolean wasFull) {
        Path path = directory.path();
        if (!Files.isDirectory(path)) {
            return sick(StoreHealth.Condition.DIRECTORY_GONE, "The data directory " + path + " was deleted.", now);
        }
        if (directoryKey != null && !Objects.equals(directoryKey, keyOf(path))) {
            return sick(StoreHealth.Condition.DIRECTORY_GONE, "The data directory " + path
                    + " was deleted and another folder now has its name.", now);
        }
        if (databaseKey != null && !Objects.equals(databaseKey, keyOf(directory.databaseFile()))) {
            return sick(StoreHealth.Condition.DIRECTORY_GONE, "The database file " + directory.databaseFile()
                    + " was deleted or replaced while the store was open.", now);
        }
        Path probe = path.resolve(".health-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        try {
            Files.deleteIfExists(probe);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // Owner-only like every file in the directory, for the moment it exists.
                Files.createFile(probe, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(probe);
            }
            Files.delete(probe);
        } catch (IOException e) {
            if (isDiskFull(e)) {
                return diskFull(0, now);
            }
            if (e instanceof NoSuchFileException) {
                return sick(StoreHealth.Condition.DIRECTORY_GONE, "The data directory " + path + " was deleted.", now);
            }
            return sick(StoreHealth.Condition.READ_ONLY, "No file can be created in the data directory " + path + " ("
                    + reason(e) + "), so deliveries cannot be journaled. Make it writable again for the user running"
                    + " JobDeck; delivery resumes by itself.", now);
        }
        try {
            long free = Files.getFileStore(path).getUsableSpace();
            if (free < (wasFull ? reserve + reserve / 4 : reserve)) {
                return diskFull(free, now);
            }
        } catch (IOException e) {
            return sick(StoreHealth.Condition.DIRECTORY_GONE, "The disk of the data directory " + path
                    + " cannot be read (" + reason(e) + ").", now);
        }
        return StoreHealth.well(now);
    }

    private StoreHealth diskFull(long free, Instant now) {
        return sick(StoreHealth.Condition.DISK_FULL, "The disk holding " + directory.path()
                + (free == 0 ? " is full" : " is nearly full: " + megabytes(free) + " free") + "; JobDeck stops writing"
                + " below " + megabytes(reserve) + " so that the store is never cut short. Free some space on that"
                + " disk; delivery resumes by itself above " + megabytes(reserve + reserve / 4) + ".", now);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    private static StoreHealth sick(StoreHealth.Condition condition, String message, Instant now) {
        return new StoreHealth(condition, message, now);
    }

    /** ENOSPC, as the JDK reports it in a message ({@code No space left on device}) on Linux and macOS. */
    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded")
                    || message.contains("There is not enough space on the disk"))) {
                return true;
            }
        }
        return false;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The file system's identity of a file (device and inode on Linux), or null if it has none or is missing. */
    private static Object keyOf(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
