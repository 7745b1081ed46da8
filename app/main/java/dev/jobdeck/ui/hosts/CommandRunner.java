package dev.jobdeck.ui.hosts;

import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.fx.Banner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Runs the Hosts screen's commands off the JavaFX thread, whichever pane asked: the screen is busy until the
 * command is done, its outcome shows in the one banner, and then everything is read again.
 */
final class CommandRunner {

    private final TaskRunner tasks;
    private final Banner banner;
    private final Runnable started;
    private final Runnable done;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);

    /** {@code started} runs on the UI thread as a command starts, {@code done} after its outcome is shown. */
    CommandRunner(TaskRunner tasks, Banner banner, Runnable started, Runnable done) {
        this.tasks = tasks;
        this.banner = banner;
        this.started = started;
        this.done = done;
    }

    <T> void run(String doing, Callable<T> work, Function<T, String> outcome) {
        busy.set(true);
        started.run();
        tasks.run(work, result -> {
            busy.set(false);
            banner.show(Banner.Tone.SUCCESS, outcome.apply(result));
            done.run();
        }, problem -> {
            busy.set(false);
            banner.failed(doing, problem);
            done.run();
        });
    }

    ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
