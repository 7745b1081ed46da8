package dev.jobdeck.core.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.RandomAccessStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Shrinks the store's file while the console serves it (decision 26). H2's {@code SHUTDOWN COMPACT} needs every
 * connection closed, which a console with worker hosts cannot offer; MVStore's {@code compactFile} rewrites sparse
 * chunks and moves live ones towards the start of the file online, holding the store's lock while it does. So it
 * runs in slices of {@link #SLICE} (commits wait at most about that long), until a slice gains nothing or the
 * budget is spent, and only while the disk has room for what a slice may write beyond the health reserve
 * (decision 21): H2 closes the whole database when a chunk write fails.
 */
public final class StoreCompaction {

    private static final System.Logger LOG = System.getLogger(StoreCompaction.class.getName());
    /** At most this long holding the store's lock at a time. */
    static final Duration SLICE = Duration.ofMillis(300);
    /** What one slice may write: MVStore rewrites and moves up to 16 MB per round, a round may run over. */
    static final long SLICE_WRITES = 48L * 1024 * 1024;
    /** Slices in a row that may gain nothing (rewriting sparse chunks comes before the file can shrink). */
    private static final int IDLE_SLICES = 5;
    /** What one slice moves towards the start of the file (MVStore's own round is 16 MB). */
    private static final long MOVE_PER_SLICE = 16L * 1024 * 1024;

    /** How long compacting the store's file takes at most (decision 26). */
    public static final Duration BUDGET = Duration.ofMinutes(2);

    private final Database database;
    private final Path file;
    private final long reserve;

    /** @param reserve free space the disk keeps beyond what compaction may write (the health monitor's reserve) */
    public StoreCompaction(Database database, long reserve) {
        this.database = database;
        this.file = database.directory().databaseFile();
        this.reserve = reserve;
    }

    /** Compacts the store's file now, as the owner's schedule does: for at most {@link #BUDGET}, keeping the reserve. */
    public static Result compactNow(Database database) throws SQLException {
        return new StoreCompaction(database, DirectoryCheck.configuredReserve()).compact(BUDGET);
    }

    /** What one run did: the file's size before and after, or why it did nothing. */
    public record Result(long bytesBefore, long bytesAfter, String skipped) {

        public boolean ran() {
            return skipped == null;
        }
    }

    /** The store's file on disk, in bytes (0 while it does not exist). Reads only the file system. */
    public long sizeOnDisk() {
        return sizeOf(file);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Compacts for at most {@code budget}, slice by slice, in this process (which must own the store's file).
     *
     * @throws SQLException when the store cannot be reached; a write that fails mid-slice closes H2's store, as any
     *                      failed write does, and the health monitor reopens it (decision 21)
     */
    public Result compact(Duration budget) throws SQLException {
        long before = sizeOnDisk();
        long deadline = System.nanoTime() + budget.toNanos();
        try (Connection connection = database.dataSource().getConnection()) {
            MVStore store = mvStoreOf(connection);
            if (store == null) {
                return new Result(before, before, "this process does not hold the store's file");
            }
            int retention = store.getRetentionTime();
            try {
                long last = before;
                int idle = 0;
                while (System.nanoTime() < deadline && idle < IDLE_SLICES) {
                    long free = file.getParent().toFile().getUsableSpace();
                    if (free < reserve + SLICE_WRITES) {
                        String why = String.format("the disk has %d MB free, compaction needs %d MB beyond the reserve",
                                free / (1024 * 1024), SLICE_WRITES / (1024 * 1024));
                        LOG.log(System.Logger.Level.INFO, "Store compaction stopped: {0}", why);
                        return new Result(before, sizeOnDisk(), last == before ? why : null);
                    }
                    // Rewrites chunks that are mostly garbage, but only while the chunks' fill rate is below
                    // MVStore's threshold; then moves live chunks into the holes before them, which is what shrinks a
                    // file whose chunks are full but far apart (after a large purge).
                    store.compactFile((int) SLICE.toMillis());
                    if (store.getFileStore() instanceof RandomAccessStore file) {
                        file.compactMoveChunks(100, MOVE_PER_SLICE, store);
                    }
                    long now = sizeOnDisk();
                    idle = now < last ? 0 : idle + 1;
                    last = Math.min(last, now);
                }
            } finally {
                // compactFile drops the retention of old chunks to 0 for good; H2 keeps them 45 s otherwise.
                if (!store.isClosed()) {
                    store.setRetentionTime(retention);
                }
            }
        } catch (MVStoreException | IllegalStateException e) {
            // MVStore reports a failed write (a full disk) this way, and closes the store.
            throw new SQLException("Compacting the store failed: " + e.getMessage(), e);
        }
        long after = sizeOnDisk();
        LOG.log(System.Logger.Level.INFO, "Store compacted from {0} to {1} bytes", before, after);
        return new Result(before, after, null);
    }

    /** Chunks whose live share is below this are rewritten by {@link #housekeep}. */
    static final int HOUSEKEEPING_FILL_RATE = 80;
    /** What one round of {@link #housekeep} may rewrite of live pages (the chunks it frees are mostly garbage). */
    static final int HOUSEKEEPING_WRITES = 8 * 1024 * 1024;

    /**
     * One round of what H2's background writer does for a store with a write delay, which {@code WRITE_DELAY=0} (every
     * commit on disk before it returns, decision 1) switches off with the thread: rewrite the live pages of chunks
     * that are mostly garbage, so the chunks die whole and their space is used again. Without it, a chunk that keeps
     * one live page of the thousands of commits a delivery makes is never freed: a million-job store grew by 75 MB a
     * second while its host delivered (decision 33). Runs in the owner every second; does nothing over TCP, or while
     * the disk has no room beyond the reserve for what a round may write. Returns whether it rewrote any chunk.
     */
    public boolean housekeep() throws SQLException {
        long free = file.getParent().toFile().getUsableSpace();
        if (free < reserve + HOUSEKEEPING_WRITES) {
            return false;
        }
        try (Connection connection = database.dataSource().getConnection()) {
            MVStore store = mvStoreOf(connection);
            return store != null && !store.isClosed() && store.compact(HOUSEKEEPING_FILL_RATE, HOUSEKEEPING_WRITES);
        } catch (MVStoreException | IllegalStateException e) {
            throw new SQLException("Housekeeping of the store failed: " + e.getMessage(), e);
        }
    }

    /** The MVStore behind an embedded connection, or null for one over TCP (a worker or a script). */
    private static MVStore mvStoreOf(Connection connection) throws SQLException {
        JdbcConnection h2 = connection.unwrap(JdbcConnection.class);
        if (!(h2.getSession() instanceof SessionLocal local)) {
            return null;
        }
        return local.getDatabase().getStore().getMvStore();
    }
}
