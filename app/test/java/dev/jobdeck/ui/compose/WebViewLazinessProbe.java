package dev.jobdeck.ui.compose;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.ConsoleUi;
import javafx.application.Platform;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run in a fresh JVM by {@link WebViewLazinessTest}: opens the console on the Compose screen, prints which
 * classes are loaded, switches the body to HTML with a recipient to preview, and prints again. The JVM's own list of loaded classes
 * (the {@code VM.class_hierarchy} diagnostic command) is read, so asking loads nothing.
 */
public final class WebViewLazinessProbe {

    private WebViewLazinessProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(Path.of(args[0])),
                ConsoleServices.Options.console())) {
            CompletableFuture<Stage> shown = new CompletableFuture<>();
            ConsoleUi ui = new ConsoleUi(services);
            Platform.startup(() -> {
                Stage stage = new Stage();
                ui.show(stage);
                shown.complete(stage);
            });
            Stage stage = shown.get(60, TimeUnit.SECONDS);
            onFx(() -> null); // the window's first pulse has run
            System.out.println("start.compose=" + loaded("dev.jobdeck.ui.compose.ComposeController"));
            System.out.println("start.webEngine=" + loaded("javafx.scene.web.WebEngine"));
            onFx(() -> {
                @SuppressWarnings("unchecked")
                ComboBox<BodyFormat> format = (ComboBox<BodyFormat>) stage.getScene().lookup("#composeFormat");
                format.setValue(BodyFormat.HTML);
                ((TextInputControl) stage.getScene().lookup("#composeTo")).setText("ann@example.com");
                return null;
            });
            // To is checked off the JavaFX thread (issue 19): the preview gets its recipient, and WebView, once it ends.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            onFx(() -> null);
            while (!loaded("javafx.scene.web.WebEngine") && System.nanoTime() < until) {
                Thread.sleep(50);
                onFx(() -> null);
            }
            System.out.println("html.webEngine=" + loaded("javafx.scene.web.WebEngine"));
            onFx(() -> {
                stage.close();
                return null;
            });
            ui.close();
        }
        System.out.flush();
        System.exit(0);
    }

    private static <T> T onFx(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }

    private static boolean loaded(String className) throws Exception {
        String hierarchy = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmClassHierarchy",
                new Object[] {null}, new String[] {String[].class.getName()});
        return hierarchy.contains(className + "/");
    }
}
