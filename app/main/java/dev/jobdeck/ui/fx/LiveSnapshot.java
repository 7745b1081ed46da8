package dev.jobdeck.ui.fx;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A screen's live read while it is shown (decision 46): {@code read} runs every {@link #periodMillis()} on the
 * {@link Refresher}'s thread, never on the JavaFX thread; each result goes through a {@link LatestValue}, so a
 * slow UI thread gets the newest snapshot once instead of a backlog, and {@code apply} runs on the UI executor.
 * {@link #stop()} (the screen hid or closed) cancels the schedule. The period is at least
 * {@link #MIN_PERIOD_MILLIS}: never more than ten reads a second, whatever a caller asks.
 *
 * <p>A model holds one and keeps its own {@code startLive}/{@code stopLive}; the UI executor is injected
 * ({@code Platform::runLater} in the app, {@code Runnable::run} in a model test), so models using it import nothing
 * from the scene graph. {@code JobsModel}, {@code HostsModel} and {@code MailboxModel} use it.
 *
 * <p>{@code read} must not throw: a model turns a failed read into a snapshot that says so (its {@code loadQuietly}),
 * so the screen shows the problem and the next tick tries again. A {@code null} read means "nothing to show this
 * time" and is not applied.
 */
public final class LiveSnapshot<T> {

    /** Ten reads a second at most: more would only keep the store and the UI thread busy. */
    public static final long MIN_PERIOD_MILLIS = 100;

    private final long periodMillis;
    private final Supplier<? extends T> read;
    private final Consumer<? super T> apply;
    private final LivePoll poll = new LivePoll();

    public LiveSnapshot(long periodMillis, Supplier<? extends T> read, Consumer<? super T> apply) {
        if (periodMillis < MIN_PERIOD_MILLIS) {
            throw new IllegalArgumentException("A live read's period is at least " + MIN_PERIOD_MILLIS
                    + " ms, not " + periodMillis + " ms");
        }
        this.periodMillis = periodMillis;
        this.read = read;
        this.apply = apply;
    }

    /** Starts reading now and then every period, unless already running; results are applied on {@code uiThread}. */
    public synchronized void start(Refresher refresher, Executor uiThread) {
        if (poll.isRunning()) {
            return;
        }
        LatestValue<T> latest = new LatestValue<>(uiThread, apply);
        poll.start(refresher, periodMillis, () -> {
            T value = read.get();
            if (value != null) {
                latest.publish(value);
            }
        });
    }

    /** Stops the schedule; a read in progress still hands its result over. */
    public synchronized void stop() {
        poll.stop();
    }

    public synchronized boolean isRunning() {
        return poll.isRunning();
    }

    public long periodMillis() {
        return periodMillis;
    }
}
