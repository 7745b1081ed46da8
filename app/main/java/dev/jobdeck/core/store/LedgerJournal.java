package dev.jobdeck.core.store;

import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.store.DeliveryLedger.Begin;
import dev.jobdeck.core.store.DeliveryLedger.Entry;
import dev.jobdeck.core.store.DeliveryLedger.Finish;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;

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
    private static final String OWNER_LOCK = "owner.lock";
    private static final String FOLD_LOCK = "fold.lock";
    private static final String SEGMENT_SUFFIX = ".seg";
    /** An entry waiting this long for a fold means the store is not answering: bulk jobs stop sending meanwhile. */
    private static final Duration STORE_SILENCE = Duration.ofSeconds(2);
    /** A journal with no segments is removed only once this old: its process may not have locked it yet. */
    private static final Duration EMPTY_JOURNAL_AGE = Duration.ofMinutes(1);
    /** Entry kinds of journals written before runs were recorded (decision 23): still read, no longer written. */
    private static final byte BEGIN_NUMBERED = 1;
    private static final byte FINISH_NUMBERED = 2;
    private static final byte BEGIN = 3;
    private static final byte FINISH = 4;
    private static final java.util.Set<StandardOpenOption> CREATE_FOR_WRITING =
            java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);

    private final Path root;
    private final Path own;
    private final DeliveryLedger ledger;
    /** Held while appending: the order in the file is the order in {@link #appended}. */
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Held while folding: folds apply the segments in the order they were written. */
    private final ReentrantLock foldLock = new ReentrantLock();
    private final ReentrantLock orphanLock = new ReentrantLock();
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
    /** Whether the last fold failed to reach the store; cleared by the next one that commits. */
    private volatile boolean storeLost;
    /** Counts the times the store answered again after a fold failed: a bulk job that sees it change asks anew
     *  whether its job is still its own (decision 23). */
    private volatile long contactEpoch;
    /** When the oldest entry not yet in the ledger was appended ({@link System#nanoTime()}), 0 when there is none. */
    private volatile long pendingSince;
    /** When a fold (or a check of the store) last committed; a connection failure after it means contact is lost. */
    private volatile long lastContactNanos = System.nanoTime();
    private final LongSupplier connectionFailures;
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
        this.connectionFailures = connectionFailures;
        this.root = root;
        this.own = root.resolve(UUID.randomUUID().toString());
        this.ledger = ledger;
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
        byte[] bytes = encode(finish, begin);
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
            if (pendingSince == 0) {
                pendingSince = System.nanoTime();
            }
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
                if (contactInDoubt()) {
                    // Nothing to fold, but a bulk job waits to hear that the store answers: ask it.
                    try {
                        ledger.ping();
                    } catch (SQLException e) {
                        storeLost = true;
                        throw e;
                    }
                    contactRegained();
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
                storeLost = true;
                throw e;
            }
            unfolded.clear();
            appendLock.lock();
            try {
                for (UUID bulk : unfoldedBy) {
                    outstanding.computeIfPresent(bulk, (key, count) -> count == 1 ? null : count - 1);
                }
                pendingSince = appended.isEmpty() ? 0 : System.nanoTime();
            } finally {
                appendLock.unlock();
            }
            contactRegained();
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
     * longer than {@link #STORE_SILENCE} (a fold that hangs on a store that stopped answering). A bulk job sends its
     * next message only while this holds (decision 23).
     */
    public boolean storeAnswering() {
        long since = pendingSince;
        return !contactInDoubt() && (since == 0 || System.nanoTime() - since < STORE_SILENCE.toNanos());
    }

    /** The last fold failed, or some thread of this process found a connection gone since the last one committed. */
    private boolean contactInDoubt() {
        long failure = connectionFailures.getAsLong();
        return storeLost || (failure != 0 && failure - lastContactNanos > 0);
    }

    /** Called once the store took a fold (or answered a check): a bulk job that waited asks again whose job it is. */
    private void contactRegained() {
        if (contactInDoubt()) {
            contactEpoch++;
        }
        storeLost = false;
        lastContactNanos = System.nanoTime();
    }

    /** Changes each time the store answers again after a fold failed. */
    public long contactEpoch() {
        return contactEpoch;
    }

    /**
     * Folds the journals that processes which are gone left behind, and removes them. Waits for a fold another
     * process is doing; skips the journals of processes still running. Returns the entries folded.
     */
    public int foldOrphans() throws SQLException {
        // One at a time in this process: a caller must not go on while another thread is still folding an orphan.
        orphanLock.lock();
        try {
            return foldAllOrphans();
        } finally {
            orphanLock.unlock();
        }
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
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Entry> entries = new ArrayList<>();
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
        if (!entries.isEmpty()) {
            ledger.apply(entries, true);
            LOG.log(System.Logger.Level.INFO, "Applied {0} ledger entries that running processes had not folded yet",
                    entries.size());
        }
        return entries.size();
    }

    /** A segment another process may still be appending to, or may remove once folded. */
    private static List<Entry> readLive(Path segment) throws IOException {
        try {
            return read(segment, false);
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
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
                deleteQuietly(writer.resolve(OWNER_LOCK));
                deleteQuietly(writer.resolve(FOLD_LOCK));
                deleteQuietly(writer);
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

    /** Entries of one segment in order, up to a torn or damaged end (a write the process did not finish). */
    static List<Entry> read(Path segment) throws IOException {
        return read(segment, true);
    }

    /** @param finished false for a segment its process may be writing: a torn last entry is then no news */
    private static List<Entry> read(Path segment, boolean finished) throws IOException {
        List<Entry> entries = new ArrayList<>();
        byte[] all = Files.readAllBytes(segment);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
        while (true) {
            int length;
            byte[] body;
            long crc;
            try {
                length = in.readInt();
                if (length <= 0 || length > all.length) {
                    break;
                }
                body = in.readNBytes(length);
                if (body.length < length) {
                    break;
                }
                crc = in.readLong();
            } catch (EOFException e) {
                break;
            }
            if (crc != crc(body)) {
                if (finished) {
                    LOG.log(System.Logger.Level.WARNING, "Ledger journal {0} ends in a damaged entry; it is ignored",
                            segment);
                }
                break;
            }
            decode(body, entries);
        }
        return entries;
    }

    private static List<Path> segmentsOf(Path writer) throws IOException {
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(writer, "*" + SEGMENT_SUFFIX)) {
            files.forEach(segments::add);
        }
        segments.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return segments;
    }

    private void openSegment() throws IOException {
        if (!Files.isDirectory(root.getParent())) {
            // Never re-create a deleted data directory as a side effect: a script would take it for a new one.
            throw new java.nio.file.NoSuchFileException(root.getParent().toString(), null, "the data directory is gone");
        }
        if (ownerLock == null || !Files.exists(own.resolve(OWNER_LOCK))) {
            // First use, or the directory was written back after it was deleted: lock the journal afresh.
            releaseOwner();
            OwnerOnly.createDirectories(own);
            ownerChannel = FileChannel.open(own.resolve(OWNER_LOCK), CREATE_FOR_WRITING, OwnerOnly.fileAttributes());
            ownerLock = ownerChannel.lock();
        }
        segmentPath = own.resolve(String.format("%016d%s", nextSegment++, SEGMENT_SUFFIX));
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
        deleteQuietly(own.resolve(OWNER_LOCK));
        deleteQuietly(own.resolve(FOLD_LOCK));
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

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A directory not yet empty or a file another process still holds open: the next fold tries again.
        }
    }

    static byte[] encode(Finish finish, Begin begin) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(body);
            if (finish != null) {
                out.writeByte(FINISH);
                writeUuid(out, finish.jobId());
                writeUuid(out, finish.runId());
                out.writeInt(finish.attempt());
                out.writeUTF(finish.outcome().name());
                out.writeInt(finish.smtpCode() == null ? -1 : finish.smtpCode());
                writeNullable(out, finish.smtpReply() == null ? null : DeliveryLedger.truncate(finish.smtpReply()));
                writeInstant(out, finish.at());
            }
            if (begin != null) {
                out.writeByte(BEGIN);
                writeUuid(out, begin.jobId());
                writeUuid(out, begin.runId());
                out.writeInt(begin.attempt());
                writeUuid(out, begin.emailId());
                writeNullable(out, begin.host());
                out.writeUTF(begin.messageId());
                writeInstant(out, begin.at());
            }
            out.flush();
            byte[] bytes = body.toByteArray();
            ByteBuffer framed = ByteBuffer.allocate(4 + bytes.length + 8);
            framed.putInt(bytes.length).put(bytes).putLong(crc(bytes));
            return framed.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void decode(byte[] body, List<Entry> entries) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        while (in.available() > 0) {
            byte kind = in.readByte();
            if (kind == FINISH || kind == FINISH_NUMBERED) {
                UUID jobId = readUuid(in);
                UUID runId = kind == FINISH ? readUuid(in) : null;
                int attempt = in.readInt();
                Outcome outcome = Outcome.valueOf(in.readUTF());
                int code = in.readInt();
                String reply = readNullable(in);
                entries.add(new Finish(jobId, runId, attempt, outcome, code < 0 ? null : code, reply, readInstant(in)));
            } else if (kind == BEGIN || kind == BEGIN_NUMBERED) {
                UUID jobId = readUuid(in);
                UUID runId = kind == BEGIN ? readUuid(in) : null;
                int attempt = in.readInt();
                UUID emailId = readUuid(in);
                String host = readNullable(in);
                String messageId = in.readUTF();
                entries.add(new Begin(jobId, runId, attempt, emailId, host, messageId, readInstant(in)));
            } else {
                throw new IOException("Unknown ledger journal entry " + kind);
            }
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    private static void writeNullable(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeUTF(text);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
        out.writeLong(at.getEpochSecond());
        out.writeInt(at.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
