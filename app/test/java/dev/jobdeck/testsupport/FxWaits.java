package dev.jobdeck.testsupport;

import javafx.scene.control.Label;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** Reading JavaFX state from a test thread, and waiting for a live view to show a value. */
public final class FxWaits {

    private FxWaits() {
    }

    /** Reads on the JavaFX thread: controls may only be touched there. */
    public static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    /** Waits until the label with {@code id} shows {@code text} (live views refresh on their own schedule). */
    public static void awaitText(FxRobot robot, String id, String text) {
        Label label = robot.lookup(id).queryAs(Label.class);
        await().atMost(Consoles.JOB_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> onFx(label::getText), text::equals);
    }
}
