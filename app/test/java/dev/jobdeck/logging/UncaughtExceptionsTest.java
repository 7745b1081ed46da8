package dev.jobdeck.logging;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import javafx.application.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An exception no code caught, on any thread, the JavaFX thread included, ends up in the log with its stack trace. */
class UncaughtExceptionsTest {

    @TempDir
    Path temp;

    @Test
    void uncaughtExceptionsOfAnyThreadAreLogged() throws Exception {
        DataDirectory directory = new DataDirectory(temp);
        ConsoleServices.open(directory, ConsoleServices.Options.storeOnly()).close();
        FxToolkit.registerPrimaryStage();   // the JavaFX thread, started the way the other UI tests start it
        try (ProcessLog log = ProcessLog.start(directory, "console, pid " + ProcessHandle.current().pid(), false)) {
            Thread doomed = new Thread(() -> {
                throw new IllegalStateException("nobody caught this on a plain thread");
            }, "doomed-thread");
            doomed.start();
            doomed.join();
            Platform.runLater(() -> {
                throw new IllegalStateException("nobody caught this on the JavaFX thread");
            });

            // Awaitility catches other threads' uncaught exceptions while it waits (and fails with them), which would
            // take the JavaFX thread's away from the log whenever it is thrown after the wait began.
            await().atMost(Duration.ofSeconds(30)).dontCatchUncaughtExceptions()
                    .until(() -> logOf(temp).contains("on the JavaFX thread"));
            assertThat(logOf(temp))
                    .contains("Uncaught exception in thread doomed-thread")
                    .contains("java.lang.IllegalStateException: nobody caught this on a plain thread")
                    .contains("Uncaught exception in thread JavaFX Application Thread")
                    .contains("at " + UncaughtExceptionsTest.class.getName());
        }
    }

    private static String logOf(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("logs"))) {
            return files.sorted().map(file -> {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.joining());
        }
    }
}
