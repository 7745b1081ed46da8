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

    /**
     * TestFX records an uncaught exception from any thread and fails the next FX test with it, so a server thread
     * that another test ended on purpose (a TLS handshake refused, a client killed) would fail an unrelated screen
     * test. Keep TestFX's check for the JavaFX thread and its own tasks; other threads' exceptions are only logged.
     * Call from {@code @BeforeAll}, before TestFX's extension runs.
     */
    public static void failOnlyOnFxThreadExceptions() {
        WaitForAsyncUtils.clearExceptions(); // also loads TestFX's handler, which is then wrapped
        Thread.UncaughtExceptionHandler testFx = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, problem) -> {
            if (testFx != null && (javafx.application.Platform.isFxApplicationThread() || thread.getName().startsWith("JavaFX")
                    || thread.getName().contains("testfx"))) {
                testFx.uncaughtException(thread, problem);
            } else {
                System.err.println("Uncaught in " + thread.getName() + " (not a JavaFX thread): " + problem);
            }
        });
    }

    /** Reads on the JavaFX thread: controls may only be touched there. */
    public static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    /**
     * Scrolls the screen's scroll pane so the node with {@code id} is in view, as an operator would before clicking
     * it (a long form, such as Compose beside its preview, does not fit an 800-pixel-high window).
     */
    public static void reveal(FxRobot robot, String id) {
        javafx.scene.Node node = robot.lookup(id).query();
        robot.interact(() -> {
            for (javafx.scene.Parent p = node.getParent(); p != null; p = p.getParent()) {
                if (p instanceof javafx.scene.control.ScrollPane scroll) {
                    javafx.scene.Node content = scroll.getContent();
                    double contentHeight = content.getBoundsInLocal().getHeight();
                    double viewport = scroll.getViewportBounds().getHeight();
                    double y = content.sceneToLocal(node.localToScene(node.getBoundsInLocal())).getMinY();
                    scroll.setVvalue(contentHeight <= viewport ? 0 : Math.min(1, Math.max(0, y / (contentHeight - viewport))));
                    return;
                }
            }
        });
    }

    /** Waits until the label with {@code id} shows {@code text} (live views refresh on their own schedule). */
    public static void awaitText(FxRobot robot, String id, String text) {
        Label label = robot.lookup(id).queryAs(Label.class);
        await().atMost(Consoles.JOB_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> onFx(label::getText), text::equals);
    }
}
