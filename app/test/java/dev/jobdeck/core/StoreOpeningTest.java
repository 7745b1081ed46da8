package dev.jobdeck.core;

import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.StoreHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Only one process opens the store file. Issue 15: a console restarted right after a crash was refused because a
 * script ({@code status}, {@code report}) had opened the file meanwhile, and its workers gave up waiting.
 */
class StoreOpeningTest {

    @TempDir
    Path temp;

    @ChildProcesses
    @Test
    void aConsoleWaitsForAScriptThatHasTheStoreOpenInsteadOfBeingRefused() throws Exception {
        Path data = temp.resolve("data");
        Consoles.open(data).close();
        Process script = StoreHolder.start(temp.resolve("script.log"), data);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(temp.resolve("script.log"))
                    .contains(StoreHolder.READY));
            CompletableFuture<ConsoleServices> console = CompletableFuture.supplyAsync(() -> {
                try {
                    return Consoles.open(data);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1_000);
            assertThat(console).as("still waiting for the script").isNotDone();

            script.getOutputStream().write('\n');
            script.getOutputStream().flush();

            try (ConsoleServices opened = console.get(60, TimeUnit.SECONDS)) {
                assertThat(opened.ownsStore()).isTrue();
            }
        } finally {
            script.destroyForcibly();
        }
    }

    @ChildProcesses
    @Test
    void aSecondConsoleIsStillRefusedAtOnce() throws Exception {
        Path data = temp.resolve("data");
        Process first = dev.jobdeck.testsupport.ChildJvm.start(temp.resolve("serve.log"), "serve", "--data-dir",
                data.toString());
        try {
            DataDirectory directory = new DataDirectory(data);
            await().atMost(Duration.ofSeconds(60)).until(() -> dev.jobdeck.core.store.StoreEndpoint.read(directory)
                    .filter(endpoint -> endpoint.pid() == first.pid()).isPresent());
            long start = System.nanoTime();
            assertThatThrownBy(() -> Consoles.open(data)).isInstanceOf(DataDirectoryLockedException.class)
                    .hasMessageContaining("in use by another JobDeck process")
                    .hasMessageContaining("console");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused, not left waiting")
                    .isLessThan(Duration.ofSeconds(30));
        } finally {
            first.destroy();
            first.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
