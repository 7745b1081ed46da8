package dev.jobdeck.core.store;

import dev.jobdeck.core.store.DeliveryLedger.Begin;
import dev.jobdeck.core.store.DeliveryLedger.Entry;
import dev.jobdeck.core.store.DeliveryLedger.Finish;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The bulk jobs' write-ahead journal for the delivery ledger (decision 16). A bulk job must make each recipient's
 * outcome durable before it sends the next message (decision 10: at most one recipient per bulk job in doubt after a
 * crash). An H2 commit does that at the price of rewriting every page it touched; appending ~200 bytes to a file of
 * this process does it for the price of one {@code write}, with the same durability: like H2 with
 * {@code WRITE_DELAY=0}, the bytes are in the operating system when {@link #record} returns, so they survive the
 * process being killed; neither forces them to the disk.
 *
 * <p>A background thread folds what was appended into {@code jd_delivery_attempt} every {@code foldEvery}, in one
 * commit for all of this process's workers, so the dashboard lags by about that much. {@link #flush} folds at once,
 * for a bulk job that is about to hand a recipient to a job of its own or to finish.
 *
 * <p>Layout: {@code journal/<writer>/} per process, holding {@code owner.lock} (locked while the process lives),
 * {@code fold.lock} and numbered segments. Each fold starts a new segment and deletes the folded one once committed.
 * A process that died leaves its directory behind, with an unlocked owner lock: {@link #foldOrphans} folds and
 * removes it. A bulk job runs that before it reads which of its recipients were sent, so a job that a dead host
 * left half done never sends again what the dead host recorded. Folding twice is harmless: a start already in the
 * ledger is not inserted again, and an outcome is set, not added.
 */
public final class LedgerJournal implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LedgerJournal.class.getName());

    private final Path root;
    private final Path own;
    private final DeliveryLedger ledger;
    /** Held while appending: the order in the file is the order in {@link #appended}. */
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Held while folding: folds apply the segments in the order they were written. */
    private final ReentrantLock foldLock = new ReentrantLock();
    private final OrphanJournals orphans;
    private final ScheduledExecutorService folder;
    private FileChannel ownerChannel;
    private FileLock ownerLock;
    /** A stream, not a channel: JobRunr interrupts workers when a host stops, and an interrupt closes a channel. */
    private FileOutputStream segment;
    private Path segmentPath;
    private long nextSegment;
    private List<Entry> appended = new ArrayList<>();
    /** The bulk job of each {@link #record} call in {@link #appended}, and how many of its calls are not folded. */
    private List<UUID> appendedBy = new ArrayList<>();
    private final Map<UUID, Integer> outstanding = new HashMap<>();
    private final List<UUID> unfoldedBy = new ArrayList<>();
    /** Entries of earlier folds that did not commit, with their segments: committed first by the next fold. */
    private final List<Entry> unfolded = new ArrayList<>();
    private final List<Path> unfoldedSegments = new ArrayList<>();
    private boolean closed;
    private final Duration foldEvery;
    /** Only the background thread reads and writes it. */
    private boolean failing;
    /** Whether the store takes what is journaled (decision 23). */
    private final StoreContact contact;
    /** Hears each append that failed (a full disk, a read-only or deleted directory): see StoreHealthMonitor. */
    private volatile java.util.function.Consumer<IOException> onWriteFailure = e -> { };

    /**
     * @param root      the data directory's journal directory, shared by every process on it
     * @param foldEvery how often the background thread folds; {@link Duration#ZERO} for none (tests fold by hand)
     */
    public LedgerJournal(Path root, DeliveryLedger ledger, Duration foldEvery) {
        this(root, ledger, foldEvery, () -> 0);
    }

    /**
     * @param connectionFailures when this process last found a connection to the store gone ({@link System#nanoTime()}):
     *                           a failure newer than the last fold that committed means the store may be away
     */
    public LedgerJournal(Path root, DeliveryLedger ledger, Duration foldEvery, LongSupplier connectionFailures) {
        this.contact = new StoreContact(connectionFailures);
        this.root = root;
        this.own = root.resolve(UUID.randomUUID().toString());
        this.ledger = ledger;
        this.orphans = new OrphanJournals(root, own, ledger);
        this.foldEvery = foldEvery;
        if (foldEvery.isZero()) {
            folder = null;
        } else {
            folder = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "jobdeck-ledger-journal");
                thread.setDaemon(true);
                return thread;
            });
            long every = foldEvery.toMillis();
            folder.scheduleWithFixedDelay(this::foldQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Appends one bulk job's step: the previous recipient's outcome and the next one's start (either may be null).
     * Returns once the bytes are handed to the operating system; the ledger shows them after the next fold.
     */
    public void record(UUID bulkJobId, Finish finish, Begin begin) throws IOException {
        if (finish == null && begin == null) {
            return;
        }
        byte[] bytes = JournalSegments.encode(finish, begin);
        appendLock.lock();
        try {
            if (closed) {
                throw new IOException("The ledger journal is closed");
            }
            try {
                if (segment == null) {
                    openSegment();
                }
                segment.write(bytes);
            } catch (IOException e) {
                onWriteFailure.accept(e);
                throw e;
            }
            contact.appended();
            if (finish != null) {
                appended.add(finish);
            }
            if (begin != null) {
                appended.add(begin);
            }
            appendedBy.add(bulkJobId);
            outstanding.merge(bulkJobId, 1, Integer::sum);
        } finally {
            appendLock.unlock();
        }
    }

    /** Who hears an append that failed, so a journal that cannot write stops delivery with a message, not silently. */
    public void onWriteFailure(java.util.function.Consumer<IOException> listener) {
        this.onWriteFailure = listener;
    }

    /** Whether entries of this bulk job are journaled and not yet folded (by this process). */
    public boolean holds(UUID bulkJobId) {
        appendLock.lock();
        try {
            return outstanding.containsKey(bulkJobId);
        } finally {
            appendLock.unlock();
        }
    }

    /** Folds everything appended so far into the ledger; returns once it is committed (or throws why not). */
    public void flush() throws SQLException {
        foldLock.lock();
        try {
            List<Entry> entries;
            List<UUID> by;
            Path folded;
            appendLock.lock();
            try {
                entries = appended;
                by = appendedBy;
                folded = segmentPath;
                if (!entries.isEmpty()) {
                    appended = new ArrayList<>();
                    appendedBy = new ArrayList<>();
                    closeSegment();
                }
            } finally {
                appendLock.unlock();
            }
            if (entries.isEmpty() && unfolded.isEmpty()) {
                if (contact.inDoubt()) {
                    // Nothing to fold, but a bulk job waits to hear that the store answers: ask it.
                    try {
                        ledger.ping();
                    } catch (SQLException e) {
                        contact.lost();
                        throw e;
                    }
                    contact.regained();
                }
                return;
            }
            unfolded.addAll(entries);
            unfoldedBy.addAll(by);
            if (!entries.isEmpty()) {
                unfoldedSegments.add(folded);
            }
            try {
                applyUnfolded(unfolded.size() > entries.size());
            } catch (SQLException e) {
                contact.lost();
                throw e;
            }
            unfolded.clear();
            appendLock.lock();
            try {
                for (UUID bulk : unfoldedBy) {
                    outstanding.computeIfPresent(bulk, (key, count) -> count == 1 ? null : count - 1);
                }
                contact.folded(!appended.isEmpty());
            } finally {
                appendLock.unlock();
            }
            contact.regained();
            unfoldedBy.clear();
            for (Path each : unfoldedSegments) {
                deleteQuietly(each);
            }
            unfoldedSegments.clear();
        } finally {
            foldLock.unlock();
        }
    }

    /**
     * Entries of a fold that failed may have been committed all the same (the reply was lost, not the write); and
     * another process may have applied some already ({@link #catchUp}): then the plain insert meets a row it holds,
     * and the entries go again as a merge, which changes nothing already there.
     */
    private void applyUnfolded(boolean again) throws SQLException {
        try {
            ledger.apply(unfolded, again);
        } catch (SQLException e) {
            if (again || e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            ledger.apply(unfolded, true);
        }
    }

    /**
     * Whether what bulk jobs journal reaches the store: the last fold committed, and nothing has waited for a fold for
     * longer than two seconds (a fold that hangs on a store that stopped answering). A bulk job sends its
     * next message only while this holds (decision 23).
     */
    public boolean storeAnswering() {
        return contact.answering();
    }

    /** Changes each time the store answers again after a fold failed. */
    public long contactEpoch() {
        return contact.epoch();
    }

    /**
     * Folds the journals that processes which are gone left behind, and removes them. Waits for a fold another
     * process is doing; skips the journals of processes still running. Returns the entries folded.
     */
    public int foldOrphans() throws SQLException {
        // One at a time in this process: a caller must not go on while another thread is still folding an orphan.
        return orphans.foldAll();
    }

    /**
     * What a re-run of a bulk job calls before it reads which recipients were sent: folds the journals of processes
     * that are gone ({@link #foldOrphans}) and this process's own, then applies, without removing them, the entries
     * that live processes have journaled but not folded yet. A worker that lost touch with the store keeps its entries
     * until it reaches the store again, and its run of the same job may have sent recipients that this run would
     * otherwise send again (decision 23). Applying entries twice changes nothing. Returns the live entries applied.
     */
    public int catchUp() throws SQLException {
        foldOrphans();
        flush();
        List<Entry> entries = orphans.unfoldedOfLiveProcesses();
        if (!entries.isEmpty()) {
            ledger.apply(entries, true);
            LOG.log(System.Logger.Level.INFO, "Applied {0} ledger entries that running processes had not folded yet",
                    entries.size());
        }
        return entries.size();
    }

    private void openSegment() throws IOException {
        if (!Files.isDirectory(root.getParent())) {
            // Never re-create a deleted data directory as a side effect: a script would take it for a new one.
            throw new java.nio.file.NoSuchFileException(root.getParent().toString(), null, "the data directory is gone");
        }
        if (ownerLock == null || !Files.exists(own.resolve(OrphanJournals.OWNER_LOCK))) {
            // First use, or the directory was written back after it was deleted: lock the journal afresh.
            releaseOwner();
            OwnerOnly.createDirectories(own);
            ownerChannel = FileChannel.open(own.resolve(OrphanJournals.OWNER_LOCK), OrphanJournals.CREATE_FOR_WRITING, OwnerOnly.fileAttributes());
            ownerLock = ownerChannel.lock();
        }
        segmentPath = own.resolve(String.format("%016d%s", nextSegment++, JournalSegments.SEGMENT_SUFFIX));
        segment = new FileOutputStream(OwnerOnly.createFile(segmentPath).toFile());
    }

    private void closeSegment() {
        if (segment != null) {
            try {
                segment.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Closing ledger journal segment " + segmentPath + " failed", e);
            }
            segment = null;
        }
    }

    private void foldQuietly() {
        try {
            flush();
            foldOrphans();
            if (failing) {
                failing = false;
                LOG.log(System.Logger.Level.INFO, "The ledger journal is folded again");
            }
        } catch (SQLException | RuntimeException e) {
            // Said once, not every fold: a worker whose store is away keeps journaling and catches up later.
            if (!failing) {
                failing = true;
                LOG.log(System.Logger.Level.WARNING, "Cannot fold the ledger journal into the store yet; trying again"
                        + " every " + foldEvery.toMillis() + " ms: " + e.getMessage());
            }
        }
    }

    /** Stops folding in the background, folds what is left and removes this process's journal. */
    @Override
    public void close() {
        if (folder != null) {
            folder.shutdown();
            try {
                folder.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        appendLock.lock();
        try {
            closed = true;
        } finally {
            appendLock.unlock();
        }
        try {
            flush();
        } catch (SQLException | RuntimeException e) {
            // Left on disk: the next process to fold orphans commits it.
            LOG.log(System.Logger.Level.WARNING, "Left the ledger journal " + own + " for the next start to fold: "
                    + e.getMessage());
            releaseOwner();
            return;
        }
        releaseOwner();
        deleteQuietly(own.resolve(OrphanJournals.OWNER_LOCK));
        deleteQuietly(own.resolve(OrphanJournals.FOLD_LOCK));
        deleteQuietly(own);
    }

    private void releaseOwner() {
        try {
            if (ownerLock != null) {
                ownerLock.release();
                ownerChannel.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Releasing the ledger journal lock of " + own + " failed", e);
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A directory not yet empty or a file another process still holds open: the next fold tries again.
        }
    }
}
