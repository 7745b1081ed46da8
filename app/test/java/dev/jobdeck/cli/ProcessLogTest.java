package dev.jobdeck.cli;


import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.StoreKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.logging.ProcessLog;
import dev.jobdeck.testsupport.ChildJvm;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every process of a data directory logs into its one log file, real JVMs each: the terminal shows only what the
 * command says (decision 18).
 */
class ProcessLogTest {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final List<String> HEADLESS_FX = List.of("-Dglass.platform=Monocle", "-Dmonocle.platform=Headless",
            "-Dprism.order=sw", "-Dprism.text=t2k", "-Djava.awt.headless=true");

    @TempDir
    Path temp;

    @ChildProcesses
    @Test
    void aScriptPrintsOnlyItsAnswerAndLogsIntoAnOwnerOnlyFile() throws Exception {
        Path data = storeIn("data");

        ChildJvm.Finished status = ChildJvm.run(temp.resolve("run"), List.of(), "status", "--json", "--data-dir", data.toString());

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.err()).isEmpty();
        assertThat(new ObjectMapper().readTree(status.out()).get("total").asLong()).isZero();
        assertThat(status.out()).doesNotContain("SLF4J").doesNotContain("INFO");
        assertThat(logOf(data)).contains("[status, pid ").contains("com.zaxxer.hikari");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("logs")))).isEqualTo("rwx------");
            assertThat(logFiles(data)).isNotEmpty().allSatisfy(file ->
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
        }
    }

    @ChildProcesses
    @Test
    void aScriptOnAPostgresStoreLogsIntoItsDataDirectoryToo() throws Exception {
        PostgresServer.Database store = PostgresServer.freshDatabase();
        DataDirectory directory = StoreKind.directoryOn(store, new DataDirectory(temp.resolve("data")));

        ChildJvm.Finished status = ChildJvm.run(temp.resolve("run"), List.of(), "status", "--json", "--data-dir",
                directory.path().toString());

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(directory.databaseFile()).as("no H2 file in a PostgreSQL store's directory").doesNotExist();
        assertThat(logOf(directory.path())).contains("[status, pid ").contains("jobdeck-postgresql");
    }

    @ChildProcesses
    @Test
    void serveAndAWorkerWriteIntoTheSameLogAndPrintOnlyTheirStatusLines() throws Exception {
        Path data = temp.resolve("data");
        Path serveOut = temp.resolve("serve.out");
        Path workerOut = temp.resolve("worker.out");
        Process serve = ChildJvm.start(serveOut, "serve", "--data-dir", data.toString());
        Process worker = null;
        try {
            await().atMost(STARTUP).until(() -> Files.exists(serveOut) && Files.readString(serveOut).contains("serving"));
            worker = ChildJvm.start(workerOut, "worker", "--data-dir", data.toString(), "--name", "w1", "--workers", "2");
            // JobRunr's own lines from both processes: before, SLF4J found no binding and dropped them.
            await().atMost(STARTUP).until(() -> logOf(data).contains("BackgroundJobServer (w1")
                    && logOf(data).contains("BackgroundJobServer (console-1"));
        } finally {
            stop(worker);
            stop(serve);
        }
        String log = logOf(data);
        assertThat(log).contains("[serve, pid " + serve.pid() + "]").contains("[worker w1, pid " + worker.pid() + "]");
        assertThat(Files.readAllLines(serveOut)).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("jobdeck serve: "));
        assertThat(Files.readAllLines(workerOut)).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("[0-9:.]+ jobdeck worker w1: .*"));
    }

    @ChildProcesses
    @Test
    void workersTheConsoleStartsWriteIntoItsLog() throws Exception {
        Path data = temp.resolve("data");
        try (ProcessLog log = ProcessLog.start(new DataDirectory(data), "console, pid " + ProcessHandle.current().pid(), false);
             ConsoleServices console = Consoles.open(data)) {
            HostSupervisor supervisor = console.parts().supervisor().orElseThrow();
            String name = supervisor.startWorkers(1, HostRecord.Kind.WORKER, 2).get(0);

            await().atMost(STARTUP).until(() -> logOf(data).contains("BackgroundJobServer (" + name));
            assertThat(logOf(data)).contains("[worker " + name + ", pid ").contains("Started host " + name);
            assertThat(data.resolve("logs").resolve(name + ".log")).as("no log of its own").doesNotExist();
        }
    }

    @ChildProcesses
    @Test
    void theConsoleWritesIntoTheLogAndNothingToTheTerminal() throws Exception {
        Path data = temp.resolve("data");
        Path terminal = temp.resolve("console.out");
        Process console = ChildJvm.start(terminal, HEADLESS_FX, "--data-dir", data.toString());
        try {
            await().atMost(STARTUP).until(() -> logOf(data).contains("BackgroundJobServer (console-1"));
        } finally {
            stop(console);
        }
        assertThat(logOf(data)).contains("[console, pid " + console.pid() + "]")
                .contains("Unsupported JavaFX configuration");   // JavaFX's own warning, through System.Logger
        assertThat(Files.readString(terminal)).isEmpty();
    }

    @ChildProcesses
    @Test
    void verboseAlsoCopiesTheLogToStderr() throws Exception {
        Path data = storeIn("data");

        ChildJvm.Finished status = ChildJvm.run(temp.resolve("run"), List.of(), "status", "--verbose", "--data-dir", data.toString());

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).startsWith("JobDeck data in " + data);
        assertThat(status.err()).contains("[status, pid ").contains("com.zaxxer.hikari.HikariDataSource");
        assertThat(logOf(data)).contains("com.zaxxer.hikari.HikariDataSource");
    }

    @ChildProcesses
    @Test
    void aLogThatCannotBeWrittenStillLetsStatusAnswerAndSaysSoOnce() throws Exception {
        Path data = storeIn("data");
        Files.writeString(data.resolve("logs"), "a file where the log folder would be");

        ChildJvm.Finished status = ChildJvm.run(temp.resolve("run"), List.of(), "status", "--data-dir", data.toString());

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).startsWith("JobDeck data in " + data).contains("Ledger: 0 accepted");
        assertThat(status.err().lines()).singleElement().asString()
                .contains("cannot write the log in " + data.resolve("logs")).contains("go to this terminal");
    }

    @ChildProcesses
    @Test
    void h2sOwnErrorsReachTheLogInsteadOfATraceFile() throws Exception {
        Path data = storeIn("data");
        byte[] noise = new byte[4096];
        new SecureRandom().nextBytes(noise);
        // It starts as an H2 file does, so that H2 itself reads it and fails (a shorter check refuses plain noise).
        byte[] header = "H:2,".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, noise, 0, header.length);
        Files.write(data.resolve("jobdeck.mv.db"), noise);

        ChildJvm.Finished status = ChildJvm.run(temp.resolve("run"), List.of(), "status", "--data-dir", data.toString());

        assertThat(status.exitCode()).isEqualTo(ScriptStore.UNREADABLE);
        assertThat(status.err().lines()).singleElement().asString().startsWith("jobdeck status: ")
                .contains("Details in " + data.resolve("logs")).doesNotContain("\tat ");
        assertThat(logOf(data)).contains("ERROR [status, pid ").contains(" h2database ");
        assertThat(data.resolve("jobdeck.trace.db")).doesNotExist();
    }

    private Path storeIn(String name) throws Exception {
        Path data = temp.resolve(name);
        ConsoleServices.open(new DataDirectory(data), ConsoleServices.Options.storeOnly()).close();
        return data;
    }

    private static List<Path> logFiles(Path data) {
        Path logs = data.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(file -> file.getFileName().toString().matches("jobdeck-.*\\.log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String logOf(Path data) {
        return logFiles(data).stream().map(file -> {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).collect(Collectors.joining());
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
