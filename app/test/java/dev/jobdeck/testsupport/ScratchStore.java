package dev.jobdeck.testsupport;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A data directory of its own in a fresh temporary folder, and the services a test opened on it: {@link #close} closes
 * them, last opened first, then removes the folder. Used by {@link ConsoleStoreExtension} and {@link ConsoleFxTest}.
 */
public final class ScratchStore implements AutoCloseable {

    private final Path folder;
    private final DataDirectory directory;
    private final List<ConsoleServices> opened = new ArrayList<>();

    private ScratchStore(Path folder) {
        this.folder = folder;
        this.directory = new DataDirectory(folder.resolve("data"));
    }

    /** A new, empty folder; its data directory is made when a console first opens it. */
    public static ScratchStore create() {
        try {
            return new ScratchStore(Files.createTempDirectory("jobdeck-test-store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public DataDirectory directory() {
        return directory;
    }

    /** Beside the data directory, for a test's other files (a CSV, a log of a child process). */
    public Path folder() {
        return folder;
    }

    /** Opens the store as the console does: the built-in sink started, the console's host not yet. */
    public ConsoleServices openConsole() throws StoreException {
        return open(ConsoleServices.Options.console());
    }

    /** Opens the store with {@code options}; closed by {@link #close} unless the test closed it already. */
    public synchronized ConsoleServices open(ConsoleServices.Options options) throws StoreException {
        ConsoleServices services = ConsoleServices.open(directory, options);
        opened.add(services);
        return services;
    }

    @Override
    public synchronized void close() throws IOException {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
        delete(folder);
    }

    /** Deletes {@code root} and all below it; a file that went away meanwhile (a log rolled, H2's temp file) is fine. */
    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException problem) throws IOException {
                if (problem instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw problem;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException problem) throws IOException {
                if (problem != null && !(problem instanceof NoSuchFileException)) {
                    throw problem;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
