package dev.jobdeck.cli;

import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocations;
import dev.jobdeck.testsupport.CapturedTerminal;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jobdeck store show | password}, run in this JVM as a user would; neither opens a database. */
class StoreCommandTest {

    private static final String PASSWORD = "pg-Secret-42";

    @TempDir
    Path temp;

    @RegisterExtension
    final CapturedTerminal terminal = new CapturedTerminal();
    private final InputStream originalIn = System.in;

    @AfterEach
    void restoreStandardInput() {
        System.setIn(originalIn);
    }

    private int store(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "store";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = temp.toString();
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

    private void remember(String url) throws Exception {
        StoreLocations.remember(new DataDirectory(temp), StoreLocation.parse(url));
    }

    private void standardInput(String text) {
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void showNamesTheEmbeddedStoresFile() throws Exception {
        Consoles.open(temp).close();

        assertThat(store("show")).isZero();

        assertThat(output()).isEqualTo("embedded H2 at " + temp.resolve("jobdeck.mv.db") + System.lineSeparator());
    }

    @Test
    void showNamesThePostgreSqlStoreItsTlsModeAndThatNoPasswordIsSet() throws Exception {
        remember("postgresql://ops@db.example.org/jobdeck?sslmode=require");

        assertThat(store("show")).isZero();

        assertThat(output()).isEqualTo("PostgreSQL postgresql://ops@db.example.org:5432/jobdeck (TLS: require), password not set"
                + System.lineSeparator());
    }

    @Test
    void showNamesTheOsUserWhenTheStoreNamesNone() throws Exception {
        remember("postgresql://db.example.org/jobdeck");

        assertThat(store("show")).isZero();

        assertThat(output()).startsWith("PostgreSQL postgresql://" + System.getProperty("user.name")
                + "@db.example.org:5432/jobdeck (TLS: prefer)");
    }

    @Test
    void passwordKeepsItEncryptedOwnerOnlyAndShowSaysWhereButNeverPrintsIt() throws Exception {
        remember("postgresql://ops@db.example.org/jobdeck");
        standardInput(PASSWORD + "\n");

        assertThat(store("password")).isZero();
        assertThat(output()).isEqualTo("The password of postgresql://ops@db.example.org:5432/jobdeck is kept in an encrypted"
                + " file only you can read, " + temp.resolve("secrets.enc") + "." + System.lineSeparator());

        assertThat(store("show")).isZero();
        assertThat(output()).isEqualTo("PostgreSQL postgresql://ops@db.example.org:5432/jobdeck (TLS: prefer), password in an"
                + " encrypted file only you can read, " + temp.resolve("secrets.enc") + System.lineSeparator());
        assertThat(errors()).isEmpty();
        assertThat(Files.readString(temp.resolve("secrets.enc"), StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("secrets.enc")))).isEqualTo("rw-------");
    }

    @Test
    void passwordMakesAHandMadeDataDirectoryOwnerOnlyBeforeItKeepsASecretThere() throws Exception {
        Files.writeString(temp.resolve("store.properties"), "url=postgresql\\://db.example.org/jobdeck\n");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(temp.resolve("store.properties"), PosixFilePermissions.fromString("rw-r--r--"));
        standardInput(PASSWORD + "\n");

        assertThat(store("password")).isZero();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("store.properties"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anEmptyLineRemovesThePassword() throws Exception {
        remember("postgresql://ops@db.example.org/jobdeck");
        standardInput(PASSWORD + "\n");
        assertThat(store("password")).isZero();
        standardInput("\n");

        assertThat(store("password")).isZero();

        assertThat(output()).endsWith("The password of postgresql://ops@db.example.org:5432/jobdeck was removed." + System.lineSeparator());
        assertThat(store("show")).isZero();
        assertThat(output()).endsWith("password not set" + System.lineSeparator());
    }

    @Test
    void passwordForTheEmbeddedStoreIsRefusedAndSavesNothing() throws Exception {
        Consoles.open(temp).close();
        standardInput(PASSWORD + "\n");

        int exit = store("password");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("jobdeck store password: The data directory " + temp + " keeps its jobs in the"
                + " embedded H2 store, whose password JobDeck generates").contains("Nothing was changed.")
                .doesNotContain(PASSWORD).doesNotContain("Exception");
        assertThat(temp.resolve("secrets.enc")).doesNotExist();
    }

    @Test
    void passwordWithNothingOnStandardInputIsRefused() throws Exception {
        remember("postgresql://ops@db.example.org/jobdeck");
        standardInput("");

        int exit = store("password");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("Standard input held no line").contains("Nothing was changed.");
        assertThat(temp.resolve("secrets.enc")).doesNotExist();
    }

    @Test
    void showOnADirectoryWithNoStoreSaysSoAndCreatesNothing() {
        Path nothing = temp.resolve("nothing-here");

        int exit = Main.run("store", "show", "--data-dir", nothing.toString());

        assertThat(exit).isEqualTo(StoreCommand.NO_DATA);
        assertThat(errors()).contains("jobdeck store show: no JobDeck data in " + nothing);
        assertThat(nothing).doesNotExist();
    }

    @Test
    void passwordOnADirectoryWithNoStoreSaysSoAndCreatesNothing() {
        Path nothing = temp.resolve("nothing-here");
        standardInput(PASSWORD + "\n");

        int exit = Main.run("store", "password", "--data-dir", nothing.toString());

        assertThat(exit).isEqualTo(StoreCommand.NO_DATA);
        assertThat(errors()).contains("jobdeck store password: no JobDeck data in " + nothing);
        assertThat(nothing).doesNotExist();
    }

    @Test
    void aDamagedRememberedLocationIsUnreadableNotTheEmbeddedStore() throws Exception {
        Files.writeString(temp.resolve("store.properties"), "url=postgresql\\://db.example.org\\:0/jobdeck\n");

        int exit = store("show");

        assertThat(exit).isEqualTo(StoreCommand.UNREADABLE);
        assertThat(errors()).contains("jobdeck store show: The store named in " + temp.resolve("store.properties")
                + " cannot be used: The port '0' is not a number from 1 to 65535");
    }

    @Test
    void theDataDirectoryMayComeBeforeTheSubCommand() throws Exception {
        remember("postgresql://ops@db.example.org/jobdeck");

        assertThat(Main.run("store", "--data-dir", temp.toString(), "show")).isZero();

        assertThat(output()).startsWith("PostgreSQL postgresql://ops@db.example.org:5432/jobdeck");
    }

    @Test
    void storeWithoutASubCommandIsInvalidInput() {
        assertThat(store()).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("jobdeck store: Missing command: show, password or move");
    }
}
