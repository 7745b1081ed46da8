package dev.jobdeck.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A rolling log file that only its owner can read: Logback would create each new file (the first one, and one per
 * day or size step) with the process's umask, usually world-readable; this creates it owner-only (0600, its folder
 * 0700) just before Logback opens it, and narrows a file or folder an older version left readable.
 */
final class OwnerOnlyFileAppender extends RollingFileAppender<ILoggingEvent> {

    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    @Override
    public void openFile(String fileName) throws IOException {
        Path file = Path.of(fileName).toAbsolutePath();
        ownerOnlyFolder(file.getParent());
        ownerOnlyFile(file);
        super.openFile(fileName);
    }

    static void ownerOnlyFolder(Path folder) throws IOException {
        if (!posix()) {
            Files.createDirectories(folder);
            return;
        }
        if (!Files.isDirectory(folder)) {
            // The parent (the data directory) exists: ProcessLog only writes into a data directory that does.
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(FOLDER));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(folder)) {
                    throw e;
                }
            }
        }
        if (!Files.isWritable(folder)) {
            throw new AccessDeniedException(folder.toString());
        }
        narrow(folder, FOLDER);
    }

    static void ownerOnlyFile(Path file) throws IOException {
        if (!posix()) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (FileAlreadyExistsException e) {
            narrow(file, FILE);
        }
    }

    /**
     * Narrows what an older version, or another umask, left open. One that cannot be narrowed (another account owns
     * it) fails the log file, which then falls back to the terminal rather than write where others can read.
     */
    private static void narrow(Path path, Set<PosixFilePermission> wanted) throws IOException {
        if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
