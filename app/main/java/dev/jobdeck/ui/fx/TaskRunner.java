package dev.jobdeck.ui.fx;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs I/O off the JavaFX thread and hands the result back on it. Models take one of these in their
 * constructor: {@link FxTaskRunner} in the app, {@link #direct()} in plain unit tests.
 */
public interface TaskRunner {

    <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure);

    /**
     * Where {@code onSuccess} and {@code onFailure} run: the JavaFX thread in the app. Work that reports progress
     * hands its updates here too (through {@link LatestValue}, so they are coalesced).
     */
    default Executor uiThread() {
        return Runnable::run;
    }

    /** Runs everything on the calling thread: for model tests that need no JavaFX toolkit. */
    static TaskRunner direct() {
        return new TaskRunner() {
            @Override
            public <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
                T result;
                try {
                    result = work.call();
                } catch (Exception e) {
                    onFailure.accept(e);
                    return;
                }
                onSuccess.accept(result);
            }
        };
    }
}
