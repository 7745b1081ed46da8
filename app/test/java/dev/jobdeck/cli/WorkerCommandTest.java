package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreEndpoint;
import dev.jobdeck.testsupport.ChildJvm;
import dev.jobdeck.testsupport.ChildProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code jobdeck worker} refuses what it cannot do with a sentence, and never hangs on a store that is gone. */
class WorkerCommandTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureErr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreErr() {
        System.setErr(originalErr);
    }

    @Test
    void aMissingDataDirectoryIsRefused() {
        int exit = Main.run("worker", "--data-dir", temp.resolve("nothing-here").toString());
        assertThat(exit).isEqualTo(WorkerCommand.NO_DATA);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no JobDeck data in").contains("Start the console");
    }

    @Test
    void withNoConsoleRunningTheWorkerSaysToStartOne() throws Exception {
        ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly()).close();
        int exit = Main.run("worker", "--data-dir", temp.toString());
        assertThat(exit).isEqualTo(WorkerCommand.NOT_SERVED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No JobDeck console is running on " + temp)
                .doesNotContain("Exception");
    }

    @Test
    void aDirectoryHeldByAProcessThatDoesNotShareItIsRefused() throws Exception {
        try (ConsoleServices script = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly())) {
            int exit = Main.run("worker", "--data-dir", temp.toString());
            assertThat(exit).isEqualTo(WorkerCommand.NOT_SERVED);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not share it");
        }
    }

    @Test
    void badNumbersAreRefused() {
        assertThat(Main.run("worker", "--data-dir", temp.toString(), "--workers", "0")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--workers must be between 1 and 256");
    }

    @Test
    void aNameLongerThanTheHostsTableHoldsIsRefusedBeforeAnythingStarts() {
        assertThat(Main.run("worker", "--data-dir", temp.toString(), "--name", "w".repeat(150))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("jobdeck worker: --name is 150 characters long; at most 100 are allowed.\n");
    }

    @ChildProcesses
    @Test
    void aWorkerWhoseStoreIsGoneForGoodExitsWithAClearMessage() throws Exception {
        Path data = temp.resolve("data");
        DataDirectory directory = new DataDirectory(data);
        Process console = ChildJvm.start(temp.resolve("serve.log"), "serve", "--data-dir", data.toString());
        Process worker = null;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> StoreEndpoint.read(directory)
                    .filter(endpoint -> endpoint.pid() == console.pid()).isPresent());
            worker = ChildJvm.start(temp.resolve("worker.log"), "worker", "--data-dir", data.toString(),
                    "--name", "w", "--store-patience", "3");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(temp.resolve("worker.log"))
                    .contains("jobdeck worker w: running"));
            console.destroyForcibly().waitFor();

            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker gave up instead of hanging").isTrue();
            assertThat(worker.exitValue()).isEqualTo(WorkerCommand.STORE_LOST);
            assertThat(Files.readString(temp.resolve("worker.log"))).contains("lost the store")
                    .contains("has not answered for 3 s").contains("Is the console still running?");
        } finally {
            console.destroyForcibly();
            if (worker != null) {
                worker.destroyForcibly();
            }
        }
    }
}
