package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.CapturedTerminal;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.StoreGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jobdeck store move}, run in this JVM as a user would, on a real H2 store and a real PostgreSQL. */
class StoreMoveCommandTest {

    @TempDir
    Path temp;

    @RegisterExtension
    final CapturedTerminal terminal = new CapturedTerminal();
    private final InputStream originalIn = System.in;
    private Path dir;

    @BeforeEach
    void aStore() throws Exception {
        dir = temp.resolve("store");
        StoreGenerator.generate(dir, 60, 5, StoreGenerator.Mix.realistic(), written -> { });
    }

    @AfterEach
    void restoreStandardInput() {
        System.setIn(originalIn);
    }

    private int store(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "store";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = dir.toString();
        return Main.run(all);
    }

    private String output() {
        String text = terminal.out.toString(StandardCharsets.UTF_8);
        terminal.out.reset();
        return text;
    }

    private String errors() {
        String text = terminal.err.toString(StandardCharsets.UTF_8);
        terminal.err.reset();
        return text;
    }

    private void standardInput(String text) {
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void movePrintsTheCountsAndTheDirectoryThenKeepsItsJobsInPostgres() throws Exception {
        PostgresServer.Database target = PostgresServer.freshDatabase();
        standardInput(target.password() + "\n");

        assertThat(store("move", "--to", target.url(), "--password-stdin")).as(errors()).isZero();

        String out = output();
        assertThat(out).contains("H2", "PostgreSQL", "jobrunr_jobs", "jd_email", "Moved: the data directory")
                .doesNotContain("differs").doesNotContain(target.password());
        assertThat(out.lines().filter(line -> line.startsWith("jobrunr_jobs "))).singleElement()
                .satisfies(line -> assertThat(line.split("\\s+")).containsExactly("jobrunr_jobs", "60", "60"));
        assertThat(store("show")).isZero();
        assertThat(output()).startsWith("PostgreSQL " + target.url().replaceFirst("\\?.*", "")).contains("password in");
    }

    @Test
    void aBadUrlIsRefusedWithOneSentenceAndNothingWritten() throws Exception {
        String checksum = sha256(new DataDirectory(dir).databaseFile());

        assertThat(store("move", "--to", "mysql://db/jobs")).isEqualTo(Main.INVALID_INPUT);

        assertThat(errors()).contains("Invalid value for option '--to'").doesNotContain("Exception");
        assertThat(Files.exists(new DataDirectory(dir).storeLocationFile())).isFalse();
        assertThat(sha256(new DataDirectory(dir).databaseFile())).isEqualTo(checksum);
    }

    @Test
    void anUnreachableTargetIsRefusedAndItsPasswordNotKept() throws Exception {
        standardInput("some-password\n");

        assertThat(store("move", "--to", "postgresql://ops@127.0.0.1:1/jobdeck", "--password-stdin"))
                .isEqualTo(StoreCommand.UNREADABLE);

        assertThat(errors()).contains("Cannot reach the PostgreSQL store").doesNotContain("some-password")
                .doesNotContain("\tat ");
        assertThat(Files.exists(new DataDirectory(dir).storeLocationFile())).isFalse();
        assertThat(new StorePasswordVault(Secrets.forDirectory(new DataDirectory(dir), Map.of())).read()).isEmpty();
    }

    @Test
    void aConsoleServingTheDirectoryIsToldToStop() throws Exception {
        try (ConsoleServices console = Consoles.open(dir)) {
            assertThat(store("move", "--to", "postgresql://ops@127.0.0.1:1/jobdeck")).isEqualTo(StoreCommand.LOCKED);
        }

        assertThat(errors()).contains("A JobDeck console has the data directory", "stop it");
        assertThat(Files.exists(new DataDirectory(dir).storeLocationFile())).isFalse();
    }

    @Test
    void aDirectoryWithoutAnEmbeddedStoreSaysSo() {
        dir = temp.resolve("nothing");

        assertThat(store("move", "--to", "postgresql://ops@127.0.0.1:1/jobdeck")).isEqualTo(StoreCommand.NO_DATA);

        assertThat(errors()).contains("has no embedded H2 store to move");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
