package dev.jobdeck.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs I/O off the JavaFX thread and hands the result back on it. Models take one of these in their
 * constructor: {@link FxTaskRunner} in the app, {@link #direct()} in plain unit tests.
 */
public interface TaskRunner {

    <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure);

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
