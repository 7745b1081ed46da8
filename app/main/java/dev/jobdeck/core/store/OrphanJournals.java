package dev.jobdeck.core.store;

import dev.jobdeck.core.store.DeliveryLedger.Entry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import static dev.jobdeck.core.store.JournalSegments.read;
import static dev.jobdeck.core.store.JournalSegments.readLive;
import static dev.jobdeck.core.store.JournalSegments.segmentsOf;

/**
 * The other processes' journals in a data directory's journal directory, as one {@link LedgerJournal} sees them:
 * those whose process is gone (an unlocked owner lock) are folded into the ledger and removed; those of live processes
 * are read, not removed, when a re-run of a bulk job must see what they hold (decision 23).
 */
final class OrphanJournals {

    private static final System.Logger LOG = System.getLogger(OrphanJournals.class.getName());
    static final String OWNER_LOCK = "owner.lock";
    static final String FOLD_LOCK = "fold.lock";
    static final Set<StandardOpenOption> CREATE_FOR_WRITING = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    /** A journal with no segments is removed only once this old: its process may not have locked it yet. */
    private static final Duration EMPTY_JOURNAL_AGE = Duration.ofMinutes(1);

    private final Path root;
    private final Path own;
    private final DeliveryLedger ledger;
    private final ReentrantLock orphanLock = new ReentrantLock();

    /** @param own the journal of the process asking, never folded here */
    OrphanJournals(Path root, Path own, DeliveryLedger ledger) {
        this.root = root;
        this.own = own;
        this.ledger = ledger;
    }

    /** Folds and removes the journals of processes that are gone; returns the entries folded. */
    int foldAll() throws SQLException {
        // One at a time in this process: a caller must not go on while another thread is still folding an orphan.
        orphanLock.lock();
        try {
            return foldAllOrphans();
        } finally {
            orphanLock.unlock();
        }
    }

    /** The entries that other, live processes have journaled and not folded yet. */
    List<Entry> unfoldedOfLiveProcesses() throws SQLException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (DirectoryStream<Path> writers = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path writer : writers) {
                if (writer.equals(own)) {
                    continue;
                }
                try {
                    for (Path segment : segmentsOf(writer)) {
                        entries.addAll(readLive(segment));
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // Folded and removed by its process meanwhile: what it held is in the ledger.
                }
            }
        } catch (IOException e) {
            throw new SQLException("Cannot read the ledger journals in " + root + ": " + e.getMessage(), e);
        }
        return entries;
    }

    private int foldAllOrphans() throws SQLException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int folded = 0;
        List<Path> writers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            entries.forEach(writers::add);
        } catch (IOException e) {
            throw new SQLException("Cannot list the ledger journals in " + root + ": " + e.getMessage(), e);
        }
        for (Path writer : writers) {
            if (!writer.equals(own)) {
                folded += foldIfOrphaned(writer);
            }
        }
        return folded;
    }

    private int foldIfOrphaned(Path writer) throws SQLException {
        try (FileChannel foldChannel = FileChannel.open(writer.resolve(FOLD_LOCK), CREATE_FOR_WRITING,
                OwnerOnly.fileAttributes());
             FileLock ignored = foldChannel.lock();
             FileChannel ownerOf = FileChannel.open(writer.resolve(OWNER_LOCK), CREATE_FOR_WRITING,
                     OwnerOnly.fileAttributes())) {
            FileLock owner = ownerOf.tryLock();
            if (owner == null) {
                return 0;
            }
            List<Path> segments = segmentsOf(writer);
            // The lock file's age, not the directory's: opening fold.lock above may just have touched the directory.
            if (segments.isEmpty() && Files.getLastModifiedTime(writer.resolve(OWNER_LOCK)).toInstant()
                    .isAfter(Instant.now().minus(EMPTY_JOURNAL_AGE))) {
                // Possibly a process between creating its journal and locking it: leave it be.
                owner.release();
                return 0;
            }
            try {
                List<Entry> entries = new ArrayList<>();
                for (Path each : segments) {
                    entries.addAll(read(each));
                }
                if (!entries.isEmpty()) {
                    ledger.apply(entries, true);
                    LOG.log(System.Logger.Level.INFO, "Folded {0} ledger entries a stopped process left in {1}",
                            entries.size(), writer);
                }
                for (Path each : segments) {
                    Files.delete(each);
                }
                return entries.size();
            } finally {
                owner.release();
                // Deleted while locked: a process that opened the old files sees an empty, unlocked journal.
                LedgerJournal.deleteQuietly(writer.resolve(OWNER_LOCK));
                LedgerJournal.deleteQuietly(writer.resolve(FOLD_LOCK));
                LedgerJournal.deleteQuietly(writer);
            }
        } catch (OverlappingFileLockException e) {
            // Another journal of this JVM (two services in one test JVM) holds it: it is alive or being folded.
            return 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0; // folded and removed by another process meanwhile
        } catch (IOException e) {
            throw new SQLException("Cannot fold the ledger journal " + writer + ": " + e.getMessage(), e);
        }
    }
}
