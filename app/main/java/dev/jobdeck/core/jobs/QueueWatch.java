package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.WakeSignal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What one process hears of work that other processes queue, a few times a second (decision 20): in every host's
 * process, the store's jobs-due signal, which wakes this process's host at once instead of at its next poll (5 s or
 * more); in the console, also the batches committed without their jobs (by a script, or by a claimant that died),
 * whose jobs it creates. JobRunr's servers still do all the work; this only tells them when to look.
 */
public final class QueueWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(QueueWatch.class.getName());
    /**
     * After a failure, how long the watch leaves the store alone. Longer than the half second for which the pool
     * hands a connection out again without testing it: read ten times a second, a connection broken by a console's
     * crash would never be tested, and every other borrower of the pool (the worker's watchdog) could be handed it.
     */
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(2);

    private final ScheduledExecutorService timer;
    private final WakeSignal signal;
    private final Runnable wakeHost;
    private long lastGeneration;
    private boolean failing;
    private long pausedUntil = System.nanoTime();

    private QueueWatch(WakeSignal signal, Runnable wakeHost) {
        this.signal = signal;
        this.wakeHost = wakeHost;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "jobdeck-queue-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts watching every {@code interval}: the signal, for {@code wakeHost}; and with a {@code queue}, the batches
     * waiting for their jobs.
     */
    public static QueueWatch start(WakeSignal signal, Runnable wakeHost, Optional<EmailQueue> queue, Duration interval) {
        QueueWatch watch = new QueueWatch(signal, wakeHost);
        watch.lastGeneration = watch.readGeneration();
        long millis = interval.toMillis();
        watch.timer.scheduleWithFixedDelay(watch::checkSignal, millis, millis, TimeUnit.MILLISECONDS);
        queue.ifPresent(q -> watch.timer.scheduleWithFixedDelay(() -> watch.finishBatches(q), 0, millis,
                TimeUnit.MILLISECONDS));
        return watch;
    }

    /**
     * What a process runs when jobs due now were queued or requeued: {@code wakeHost} starts them at once in this
     * process, and the signal tells every other process's watch. Never throws: the jobs are queued either way, and each
     * host's next poll finds them.
     */
    public static Runnable jobsDue(WakeSignal signal, Runnable wakeHost) {
        return () -> {
            wakeHost.run();
            try {
                signal.raise();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Could not tell other hosts that jobs are due; their polls will find "
                        + "them: " + e.getMessage());
            }
        };
    }

    private void checkSignal() {
        if (paused()) {
            return;
        }
        long generation = readGeneration();
        if (generation != lastGeneration) {
            lastGeneration = generation;
            wakeHost.run();
        }
    }

    private long readGeneration() {
        try {
            long generation = signal.generation();
            recovered();
            return generation;
        } catch (SQLException | RuntimeException e) {
            failed("read the jobs-due signal", e);
            return lastGeneration;
        }
    }

    private void finishBatches(EmailQueue queue) {
        if (paused()) {
            return;
        }
        try {
            int queued = queue.createWaitingJobs();
            if (queued > 0) {
                LOG.log(System.Logger.Level.INFO, "Created the jobs of {0} e-mail(s) queued by another process", queued);
            }
            recovered();
        } catch (SQLException | RuntimeException e) {
            // The next round tries again: a batch's note stays until its jobs exist.
            failed("create the jobs of batches queued elsewhere", e);
        }
    }

    /** Said once per outage: the store going away is the watchdog's to report, and this runs ten times a second. */
    private void failed(String what, Exception e) {
        pausedUntil = System.nanoTime() + PAUSE_AFTER_FAILURE.toNanos();
        if (!failing) {
            failing = true;
            LOG.log(System.Logger.Level.INFO, "Cannot " + what + " for now; trying again: " + e.getMessage(), e);
        }
    }

    private void recovered() {
        failing = false;
    }

    private boolean paused() {
        return System.nanoTime() - pausedUntil < 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
