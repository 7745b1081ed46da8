package dev.jobdeck.ui.compose;

import com.sun.net.httpserver.HttpServer;
import dev.jobdeck.core.templates.PreviewDocument;
import dev.jobdeck.testsupport.FxWaits;
import javafx.concurrent.Worker;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML preview in a real WebView: a remote image is fetched from a local HTTP server when nothing stops
 * it (the control: proves the server would see the request by the time the page has loaded), and not fetched
 * once the document carries {@link PreviewDocument}'s policy.
 */
@ExtendWith(ApplicationExtension.class)
class HtmlPreviewFxTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HtmlPreview preview;

    @BeforeAll
    static void ignoreOtherTestsBackgroundFailures() {
        FxWaits.failOnlyOnFxThreadExceptions();
    }

    @Start
    void start(Stage stage) {
        preview = new HtmlPreview();
        stage.setScene(new Scene(preview, 600, 400));
        stage.show();
    }

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            byte[] gif = java.util.Base64.getDecoder().decode("R0lGODlhAQABAAAAACwAAAAAAQABAAA=");
            exchange.getResponseHeaders().add("Content-Type", "image/gif");
            exchange.sendResponseHeaders(200, gif.length);
            exchange.getResponseBody().write(gif);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        FxToolkit.cleanupStages();
    }

    private String remote(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void showAndAwaitLoaded(FxRobot robot, String document) throws Exception {
        CompletableFuture<Worker.State> done = new CompletableFuture<>();
        robot.interact(() -> {
            preview.engine().getLoadWorker().stateProperty().addListener((obs, old, state) -> {
                if (state == Worker.State.SUCCEEDED || state == Worker.State.FAILED || state == Worker.State.CANCELLED) {
                    done.complete(state);
                }
            });
            preview.show(document);
        });
        assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(Worker.State.SUCCEEDED);
    }

    @Test
    void withoutThePolicyTheRemoteImageIsFetchedBeforeThePageHasLoaded(FxRobot robot) throws Exception {
        showAndAwaitLoaded(robot, "<html><body><p>Hi</p><img src=\"" + remote("/control.gif") + "\"></body></html>");

        assertThat(requests).containsExactly("/control.gif");
    }

    @Test
    void previewDocumentFetchesNoRemoteImageStylesheetOrScript(FxRobot robot) throws Exception {
        String html = "<html><head><link rel=\"stylesheet\" href=\"" + remote("/style.css") + "\"></head><body>"
                + "<p style=\"color:red\">Hi</p><img src=\"" + remote("/tracker.gif") + "\">"
                + "<script src=\"" + remote("/script.js") + "\"></script>"
                + "<div style=\"background:url(" + remote("/bg.gif") + ")\">x</div></body></html>";

        showAndAwaitLoaded(robot, PreviewDocument.of(html));

        assertThat(requests).isEmpty();
    }

    @Test
    void javaScriptIsOff(FxRobot robot) throws Exception {
        assertThat(FxWaits.onFx(() -> preview.engine().isJavaScriptEnabled())).isFalse();
    }
}
