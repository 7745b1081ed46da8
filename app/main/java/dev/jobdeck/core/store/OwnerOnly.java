package dev.jobdeck.core.store;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Other accounts on the same machine are not trusted (decision 22): the data directory and every file in it are
 * readable and writable by their owner only. Three layers, since H2, the log and JobDeck each create files:
 * the process's umask is set to {@code 077} once, so every file any library creates is born owner-only; the files
 * JobDeck creates itself ask for owner-only permissions explicitly; and a data directory from an older version (or
 * made by hand) is tightened when it is opened. On file systems without POSIX permissions (Windows) the data lives in
 * the user's profile, which is private already, and nothing here applies.
 */
public final class OwnerOnly {

    private static final System.Logger LOG = System.getLogger(OwnerOnly.class.getName());
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static volatile boolean umaskSet;

    private OwnerOnly() {
    }

    /** The C library's {@code umask}, through JNA (which the keyring already brings). */
    private interface CLibrary extends Library {
        int umask(int mask);
    }

    /**
     * Makes every file and directory this process creates from now on owner-only ({@code umask 077}). Idempotent. If
     * the C library cannot be reached the other two layers still hold, so this only logs why.
     */
    public static void restrictNewFiles() {
        if (!POSIX || umaskSet) {
            return;
        }
        synchronized (OwnerOnly.class) {
            if (umaskSet) {
                return;
            }
            try {
                Native.load("c", CLibrary.class).umask(0077);
                umaskSet = true;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot set the process umask to 077 (" + e.getMessage()
                        + "); files JobDeck creates itself are still owner-only");
            }
        }
    }

    /** Permissions for a file JobDeck creates ({@code rw-------}), for {@code Files.createFile} and friends. */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Creates a directory (and its missing parents) owner-only. */
    public static Path createDirectories(Path directory) throws IOException {
        if (!POSIX) {
            return Files.createDirectories(directory);
        }
        return Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
    }

    /** Creates a new, empty file owner-only; fails if it exists. */
    public static Path createFile(Path file) throws IOException {
        return Files.createFile(file, fileAttributes());
    }

    /**
     * Replaces {@code target} with {@code content} as one step: written to a new owner-only file beside it, forced to
     * disk, then moved over it, so a reader (or a crash) sees the old file or the new one, never half of one.
     */
    static void writeAtomically(Path target, String content) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp", fileAttributes());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Refuses a data directory that belongs to another account (it could read everything, or swap a file), and
     * takes group and others' rights away from it and everything in it. {@code ownProbe} is a file this process has
     * just created in it: its owner is this account, whatever the name the JVM believes it has.
     */
    static void claim(Path directory, Path ownProbe) throws StoreException, IOException {
        if (!POSIX) {
            return;
        }
        UserPrincipal me = Files.getOwner(ownProbe);
        UserPrincipal owner = Files.getOwner(directory);
        if (!owner.equals(me)) {
            throw new StoreException("The data directory " + directory + " belongs to the account '" + owner.getName()
                    + "', not to '" + me.getName() + "'. JobDeck keeps its jobs in a directory only their owner can"
                    + " read; choose one of your own with --data-dir or " + DataDirectory.ENV_VARIABLE + ".");
        }
        tighten(directory);
    }

    /** Owner-only rights for {@code root} and, below it, every file and directory this account owns. */
    static void tighten(Path root) throws IOException {
        if (!POSIX) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                restrict(directory);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()) {
                    restrict(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // another process removed it meanwhile (a folded journal segment)
                }
                throw e;
            }
        });
    }

    private static void restrict(Path path) throws IOException {
        Set<PosixFilePermission> now;
        try {
            now = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (now.stream().noneMatch(GROUP_OR_OTHERS::contains)) {
                return;
            }
            Set<PosixFilePermission> restricted = EnumSet.noneOf(PosixFilePermission.class);
            restricted.addAll(now);
            restricted.removeAll(GROUP_OR_OTHERS);
            Files.setPosixFilePermissions(path, restricted);
        } catch (NoSuchFileException e) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Made {0} readable by its owner only (it was {1})", path,
                PosixFilePermissions.toString(now));
    }
}
