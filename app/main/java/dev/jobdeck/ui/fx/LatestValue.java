package dev.jobdeck.ui.fx;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands the newest value from a background thread to the UI with at most one pending UI task, the
 * idiom {@code Task.updateMessage} uses: many updates between two frames cost one refresh, not many.
 */
public final class LatestValue<T> {

    private final AtomicReference<T> pending = new AtomicReference<>();
    private final Executor uiExecutor;
    private final Consumer<? super T> consumer;

    public LatestValue(Executor uiExecutor, Consumer<? super T> consumer) {
        this.uiExecutor = uiExecutor;
        this.consumer = consumer;
    }

    public void publish(T value) {
        if (pending.getAndSet(value) == null) {
            uiExecutor.execute(() -> consumer.accept(pending.getAndSet(null)));
        }
    }
}
