package dev.jobdeck.cli;

import dev.jobdeck.core.store.DamagedStoreFileException;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A store whose directory is damaged, deleted or made read-only under a running console, or whose disk fills up
 * (issue 15, items 5 to 7; decision 21): one clear message where the operator looks ({@code status} here, which
 * reads what {@code serve} prints and the console's banner shows), no hang, and recovery once the cause is gone.
 * The disk and read-only cases mount file systems, which needs root (as CI runs); elsewhere they are skipped with
 * a message saying so.
 */
class SickStoreTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void aZeroLengthStoreFileIsRefusedAsDamagedAndLeftAsItIs() throws Exception {
        Path data = temp.resolve("data");
        try (ConsoleServices console = Consoles.open(data)) {
            console.queue().queue(Consoles.email("one@example.org"));
        }
        Path file = data.resolve("jobdeck.mv.db");
        Files.write(file, new byte[0]);

        assertThatThrownBy(() -> Consoles.open(data)).isInstanceOf(DamagedStoreFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("empty (0 bytes)")
                .hasMessageContaining("does not replace it");
        assertThat(Files.size(file)).isZero();

        int exit = Main.run("status", "--data-dir", data.toString());
        assertThat(exit).isEqualTo(4);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is damaged").doesNotContain("Exception");
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void aFileTooShortToBeH2IsRefusedAsDamaged() throws Exception {
        Path data = temp.resolve("data");
        try (ConsoleServices console = Consoles.open(data)) {
            console.queue().queue(Consoles.email("one@example.org"));
        }
        Path file = data.resolve("jobdeck.mv.db");
        Files.writeString(file, "not a database");

        assertThatThrownBy(() -> Consoles.open(data)).isInstanceOf(DamagedStoreFileException.class)
                .hasMessageContaining("too short to be an H2 database");
        assertThat(Files.readString(file)).isEqualTo("not a database");
    }

    @Test
    void sendNeverCreatesAStoreWhereThereIsNone() {
        Path missing = temp.resolve("never-started");

        int exit = Main.run("send", "--to", "a@example.org", "--subject", "Hi", "--data-dir", missing.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no JobDeck data in " + missing, "Start the console");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aDataDirectoryDeletedUnderARunningConsoleIsWrittenBackWithEverythingAccepted() throws Exception {
        Path data = temp.resolve("data");
        try (ConsoleServices console = Consoles.open(data)) {
            console.queue().queue(Consoles.email("one@example.org, two@example.org, three@example.org"));

            deleteRecursively(data);

            // The console writes its open store back; scripts then reach it through the console again.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> statusExit(data) == 0);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Store: well");
            assertThat(Main.run("send", "--to", "four@example.org", "--subject", "Hi", "--data-dir", data.toString()))
                    .as(err.toString(StandardCharsets.UTF_8)).isZero();
            console.queue().queue(Consoles.email("five@example.org"));
            assertThat(Consoles.total(console)).isEqualTo(5);
        }
        try (ConsoleServices reopened = Consoles.open(data)) {
            assertThat(Consoles.total(reopened)).isEqualTo(5);
            assertThat(reopened.reports().ledger(Optional.empty()).accepted()).isEqualTo(5);
        }
    }

    private int statusExit(Path data) {
        out.reset();
        err.reset();
        return Main.run("status", "--data-dir", data.toString());
    }

    static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path each : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
    }
}
