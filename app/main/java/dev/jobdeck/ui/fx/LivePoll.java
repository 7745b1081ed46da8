package dev.jobdeck.ui.fx;

import java.util.concurrent.ScheduledFuture;

/** A view model's periodic read while its screen is shown: started once, stopped when the screen hides. */
public final class LivePoll {

    private ScheduledFuture<?> task;

    /** Runs {@code work} every {@code periodMillis} on the refresher's thread, unless it already runs. */
    public synchronized void start(Refresher refresher, long periodMillis, Runnable work) {
        if (task == null) {
            task = refresher.every(periodMillis, work);
        }
    }

    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    public synchronized boolean isRunning() {
        return task != null;
    }
}
