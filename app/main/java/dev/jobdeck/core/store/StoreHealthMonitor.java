package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Watches the store of one process and publishes one {@link StoreHealth}: the data directory still there, the same
 * and writable, its disk above the reserve ({@link DirectoryCheck}); the database answering a trivial query within
 * a timeout; and no write failure heard from H2 ({@link StoreFailures}) or from the ledger journal since. Listeners
 * hear each change once, on the monitor's thread; {@link #current()} is a plain read, safe on the JavaFX thread.
 *
 * <p>In the process that owns the store, a data directory that vanished is written back at once (see
 * {@link Restorer}): the console holds the only copy of what was accepted, in files that are now unlinked.
 */
public final class StoreHealthMonitor implements AutoCloseable {

    /** Puts the data directory back from the open store; returns the check to use from then on. */
    @FunctionalInterface
    public interface Restorer {
        DirectoryCheck restore() throws StoreException;
    }

    private static final System.Logger LOG = System.getLogger(StoreHealthMonitor.class.getName());
    public static final Duration CHECK_EVERY = Duration.ofMillis(500);
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    private final Database database;
    private final boolean ping;
    private final Restorer restorer;
    private final Clock clock;
    private final List<Consumer<StoreHealth>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<StoreHealth> current;
    private final AtomicReference<StoreHealth> reported = new AtomicReference<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService pinger;
    private volatile DirectoryCheck files;
    private Future<String> pendingPing;
    private Instant pingSent;
    /** Set from a write failure until the database has answered again through a fresh connection. */
    private String writeFailure;
    private volatile boolean closed;
    /** Set when H2 closed the database since the last {@link #takeReopened()}: its users' state may be stale. */
    private volatile boolean reopened;

    /**
     * @param ping     whether to query the database on each check (the owner does; a worker has its watchdog)
     * @param restorer writes a vanished directory back, or null where this process does not own the store
     */
    public StoreHealthMonitor(DirectoryCheck files, Database database, boolean ping, Restorer restorer, Clock clock) {
        this.files = files;
        this.database = database;
        this.ping = ping;
        this.restorer = restorer;
        this.clock = clock;
        this.current = new AtomicReference<>(StoreHealth.well(clock.instant()));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("jobdeck-store-health"));
        this.pinger = Executors.newSingleThreadExecutor(daemon("jobdeck-store-ping"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Checks once now, then every {@link #CHECK_EVERY}. */
    public void start() {
        timer.scheduleWithFixedDelay(this::checkQuietly, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Hears every change from now on (not the current state), on the monitor's thread. */
    public void addListener(Consumer<StoreHealth> listener) {
        listeners.add(listener);
    }

    public StoreHealth current() {
        return current.get();
    }

    public boolean isWell() {
        return current.get().isWell();
    }

    /**
     * Whether H2 closed (and so reopens) the database since the last call: JobRunr's server may then be left
     * half-working, as a worker's after a lost store, and is best restarted once the store is well.
     */
    public boolean takeReopened() {
        boolean was = reopened;
        reopened = false;
        return was;
    }

    /**
     * A write outside H2 failed (the ledger journal could not create or append its file): the store is sick at
     * once, so hosts stop taking work before the next check, which then says whether it still is.
     */
    public void reportWriteFailure(String what, Throwable e) {
        StoreHealth health = DirectoryCheck.isDiskFull(e)
                ? new StoreHealth(StoreHealth.Condition.DISK_FULL, "The disk holding " + files.directory().path()
                        + " is full: " + what + " failed (" + StoreFailures.reasonOf(e) + "). Free some space on that"
                        + " disk; delivery resumes by itself.", clock.instant())
                : new StoreHealth(StoreHealth.Condition.READ_ONLY, what + " failed in " + files.directory().path()
                        + " (" + StoreFailures.reasonOf(e) + "). Make the data directory writable again for the user"
                        + " running JobDeck; delivery resumes by itself.", clock.instant());
        if (closed) {
            return;
        }
        reported.set(health);
        publish(health);
        try {
            timer.execute(this::checkQuietly);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // Closed meanwhile: nobody is left to tell.
        }
    }

    private void checkQuietly() {
        if (closed) {
            return;
        }
        try {
            StoreHealth verdict = check();
            if (!closed && !Thread.currentThread().isInterrupted()) {
                publish(verdict);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The store health check failed: " + e.getMessage(), e);
        }
    }

    private StoreHealth check() {
        Instant now = clock.instant();
        StoreHealth verdict = files.check(now, current.get().condition() == StoreHealth.Condition.DISK_FULL);
        if (verdict.condition() == StoreHealth.Condition.DIRECTORY_GONE && restorer != null) {
            publish(new StoreHealth(verdict.condition(), verdict.message() + " JobDeck is writing its open store back"
                    + " to it.", now));
            try {
                files = restorer.restore();
                LOG.log(System.Logger.Level.WARNING, verdict.message() + " The open store was written back to it.");
                verdict = files.check(clock.instant());
            } catch (StoreException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, verdict.message() + " Writing the open store back failed", e);
                return new StoreHealth(StoreHealth.Condition.DIRECTORY_GONE, verdict.message() + " It cannot be"
                        + " re-created (" + e.getMessage() + "); the console still holds the store: keep it running"
                        + " and make the folder's parent writable.", now);
            }
        }
        StoreHealth journal = reported.getAndSet(null);
        if (verdict.isWell() && journal != null) {
            // Reported since the last check and not explained by the directory: still sick for this round.
            verdict = journal;
        }
        SQLException failure = database.failures().take();
        if (failure != null) {
            if (writeFailure == null) {
                LOG.log(System.Logger.Level.WARNING, "H2 closed the store after a write failed; it reopens it on the next"
                        + " connection: " + StoreFailures.reasonOf(failure));
            }
            writeFailure = StoreFailures.reasonOf(failure);
            reopened = true;
            database.evictConnections();
        }
        if (ping || writeFailure != null) {
            String unanswered = pingResult(now);
            if (unanswered != null) {
                return worst(verdict, new StoreHealth(StoreHealth.Condition.NOT_ANSWERING, database.describe() + " "
                        + unanswered + ".", now));
            }
        }
        if (writeFailure != null) {
            if (verdict.isWell() && pingSent == null) {
                writeFailure = null; // reopened and answering
            } else {
                return worst(verdict, new StoreHealth(StoreHealth.Condition.WRITE_FAILED, "H2 closed the store in "
                        + files.directory().path() + " after a write failed (" + writeFailure + "); it is reopened"
                        + " once writes can succeed again.", now));
            }
        }
        return verdict;
    }

    /**
     * Null while the database answers; else what is wrong. The query runs on its own thread, so a database that
     * hangs holds only that thread, and the next checks say how long it has not answered.
     */
    private String pingResult(Instant now) {
        if (pendingPing == null) {
            pingSent = now;
            pendingPing = pinger.submit(this::selectOne);
        }
        try {
            String error = pendingPing.get(Math.min(CHECK_EVERY.toMillis(), 400), TimeUnit.MILLISECONDS);
            pendingPing = null;
            pingSent = null;
            return error == null ? null : "does not answer (" + error + ")";
        } catch (TimeoutException e) {
            Duration waited = Duration.between(pingSent, now);
            return waited.compareTo(ANSWER_WITHIN) < 0 ? null
                    : "has not answered a trivial query for " + waited.toSeconds() + " s";
        } catch (InterruptedException e) {
            // Closing: no verdict.
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            pendingPing = null;
            pingSent = null;
            return "does not answer (" + StoreFailures.reasonOf(e.getCause() == null ? e : e.getCause()) + ")";
        }
    }

    /**
     * H2's {@code Statement.setQueryTimeout} sets the timeout of the whole session ({@code SET QUERY_TIMEOUT}), which
     * stays with the pooled connection: every statement that later borrowed it was cancelled after 10 s (JobRunr's
     * start-up check and the ledger at a million jobs were). So it is set back to none before the connection goes
     * back, and a connection where that fails is dropped from the pool.
     */
    private String selectOne() {
        DataSource dataSource = database.dataSource();
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout((int) ANSWER_WITHIN.toSeconds());
                statement.execute("SELECT 1");
                statement.setQueryTimeout(0);
                return null;
            } catch (SQLException | RuntimeException e) {
                try (Statement reset = connection.createStatement()) {
                    reset.setQueryTimeout(0);
                } catch (SQLException | RuntimeException again) {
                    connection.abort(Runnable::run);
                }
                return StoreFailures.reasonOf(e);
            }
        } catch (SQLException | RuntimeException e) {
            return StoreFailures.reasonOf(e);
        }
    }

    /** The first problem found stands: the directory's condition explains the database's. */
    private static StoreHealth worst(StoreHealth files, StoreHealth database) {
        return files.isWell() ? database : files;
    }

    /**
     * Listeners hear a change of condition; a new sentence for the same condition (the free space shrank) only
     * replaces {@link #current()}, so {@code serve} prints once per change, not once per check.
     */
    private synchronized void publish(StoreHealth health) {
        StoreHealth previous = current.get();
        if (health.condition() == previous.condition()) {
            if (!health.sameAs(previous)) {
                current.set(new StoreHealth(health.condition(), health.message(), previous.since()));
            }
            return;
        }
        if (!health.isWell() && !previous.isWell()) {
            // Still sick, for another reason: the sickness started when it started.
            health = new StoreHealth(health.condition(), health.message(), previous.since());
        }
        current.set(health);
        for (Consumer<StoreHealth> listener : listeners) {
            try {
                listener.accept(health);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A store health listener failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        pinger.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
