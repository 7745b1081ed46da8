package dev.jobdeck.ui.fx;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Periodic background refresh for live views. A view starts its refresh when shown and cancels it when
 * hidden; the period bounds refreshes to a few per second whatever happens in the store.
 */
public final class Refresher implements AutoCloseable {

    private final ScheduledExecutorService scheduler;

    public Refresher() {
        AtomicInteger counter = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-ui-refresh-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code work} now and then every {@code periodMillis} until the returned handle is cancelled. */
    public ScheduledFuture<?> every(long periodMillis, Runnable work) {
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                System.getLogger(Refresher.class.getName()).log(System.Logger.Level.WARNING, "Refresh failed", e);
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
