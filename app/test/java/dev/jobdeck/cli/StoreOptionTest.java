package dev.jobdeck.cli;

import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreCredentials;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocations;
import dev.jobdeck.testsupport.CapturedTerminal;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --store}, {@code --db-user} and {@code --password-stdin} as a command that mixes them in sees them. */
class StoreOptionTest {

    private static final String PASSWORD = "pg-Secret-42";
    private static final String SHARED = "postgresql://ops@db.example.org/jobdeck";

    @TempDir
    Path temp;

    @RegisterExtension
    final CapturedTerminal terminal = new CapturedTerminal();
    private final InputStream originalIn = System.in;

    /** A command as the lead will write them: the mixin, a data directory, and the store it resolves to. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {

        @Mixin
        StoreOption store;

        @Option(names = "--data-dir")
        Path dataDir;

        StoreOption.Chosen chosen;

        @Override
        public Integer call() throws Exception {
            chosen = store.resolve(new DataDirectory(dataDir), System.in,
                    dir -> new StorePasswordVault(Secrets.forDirectory(dir, Map.of())), "alice");
            return 0;
        }
    }

    @AfterEach
    void restoreStandardInput() {
        System.setIn(originalIn);
    }

    private Path data() {
        return temp.resolve("data");
    }

    private Probe probe = new Probe();

    private int run(String... args) {
        probe = new Probe();
        CommandLine jobdeck = Main.commandLine(new Main()).addSubcommand(new CommandLine(probe));
        String[] all = new String[args.length + 3];
        all[0] = "probe";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = data().toString();
        return jobdeck.setParameterExceptionHandler(Main::usageError).execute(all);
    }

    private void standardInput(String text) {
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private String errors() {
        String text = terminal.err.toString(StandardCharsets.UTF_8);
        terminal.err.reset();
        return text;
    }

    @Test
    void aFirstStoreAndPasswordAreRememberedSoTheNextStartNeedsNeither() throws Exception {
        standardInput(PASSWORD + "\n");
        assertThat(run("--store", SHARED + "?sslmode=require", "--password-stdin")).isZero();

        assertThat(probe.chosen.location()).isEqualTo(StoreLocation.parse(SHARED + "?sslmode=require"));
        assertThat(probe.chosen.credentials().orElseThrow().password()).contains(PASSWORD);

        standardInput("");
        assertThat(run()).isZero();
        assertThat(probe.chosen.location()).isEqualTo(StoreLocation.parse(SHARED + "?sslmode=require"));
        StoreCredentials credentials = probe.chosen.credentials().orElseThrow();
        assertThat(credentials.user()).isEqualTo("ops");
        assertThat(credentials.password()).contains(PASSWORD);
        assertThat(credentials.source()).isEqualTo(StoreCredentials.Source.SAVED);
        assertThat(errors()).isEmpty();
        assertThat(terminal.out.toString(StandardCharsets.UTF_8)).doesNotContain(PASSWORD);
    }

    @Test
    void withoutAnyOptionADirectoryUsesTheEmbeddedStoreWithNoCredentials() throws Exception {
        assertThat(run()).isZero();

        assertThat(probe.chosen.location()).isEqualTo(new StoreLocation.Embedded());
        assertThat(probe.chosen.credentials()).isEmpty();
    }

    @Test
    void theUserComesFromDbUserWhenTheUrlNamesNoneElseFromTheOs() throws Exception {
        assertThat(run("--store", "postgresql://db.example.org/jobdeck")).isZero();
        assertThat(probe.chosen.credentials().orElseThrow().user()).isEqualTo("alice");

        assertThat(run("--db-user", "mail_app")).isZero();
        assertThat(probe.chosen.credentials().orElseThrow().user()).isEqualTo("mail_app");
        assertThat(run()).isZero();
        assertThat(probe.chosen.credentials().orElseThrow().user()).as("remembered").isEqualTo("mail_app");
    }

    @Test
    void aPasswordInTheUrlIsRefusedBeforeAnythingIsWrittenAndIsNeverRepeated() {
        int exit = run("--store", "postgresql://ops:" + PASSWORD + "@db.example.org/jobdeck");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        String said = errors();
        assertThat(said).doesNotContain(PASSWORD).doesNotContain("Exception").doesNotContain("Usage:")
                .startsWith("jobdeck probe: Invalid value for option '--store': The store URL holds a password:"
                        + " put the password in the keyring with `jobdeck store password` or pipe it to --password-stdin;");
        assertThat(said.lines()).hasSize(2).last().isEqualTo("Try 'jobdeck probe --help' for more information.");
        assertThat(data()).doesNotExist();
    }

    @Test
    void aUrlThatDoesNotParseIsOneSentenceAndChangesNothing() {
        int exit = run("--store", "postgresql://db.example.org:70000/jobdeck");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors().lines()).first().isEqualTo("jobdeck probe: Invalid value for option '--store': The port '70000'"
                + " is not a number from 1 to 65535; expected " + StoreLocation.EXPECTED_FORM + ".");
        assertThat(data()).doesNotExist();
    }

    @Test
    void anotherStoreThanTheRememberedOneIsRefusedNamingBoth() throws Exception {
        assertThat(run("--store", SHARED)).isZero();
        byte[] before = Files.readAllBytes(data().resolve("store.properties"));

        int exit = run("--store", "postgresql://db2.example.org/jobdeck");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("keeps its jobs in PostgreSQL postgresql://ops@db.example.org:5432/jobdeck")
                .contains("not in postgresql://db2.example.org:5432/jobdeck").contains("Nothing was changed.");
        assertThat(Files.readAllBytes(data().resolve("store.properties"))).isEqualTo(before);
    }

    @Test
    void postgreSqlForADirectoryWithAnEmbeddedStoreIsRefusedAndNoPasswordIsSaved() throws Exception {
        Consoles.open(data()).close();
        standardInput(PASSWORD + "\n");

        int exit = run("--store", SHARED, "--password-stdin");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("already keeps its jobs in an embedded H2 store")
                .contains("`jobdeck store move --to postgresql://ops@db.example.org:5432/jobdeck`");
        assertThat(data().resolve("store.properties")).doesNotExist();
        assertThat(new StorePasswordVault(Secrets.forDirectory(new DataDirectory(data()), Map.of())).read()).isEmpty();
    }

    @Test
    void twoDifferentUsersAreRefused() {
        int exit = run("--store", SHARED, "--db-user", "other");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("The store URL names the user 'ops' and --db-user 'other'; give the user once.");
        assertThat(data()).doesNotExist();
    }

    @Test
    void passwordStdinWithTheEmbeddedStoreIsRefused() {
        standardInput(PASSWORD + "\n");

        int exit = run("--password-stdin");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("--password-stdin is for a PostgreSQL store")
                .contains("the embedded H2 store, whose password JobDeck generates");
        assertThat(data()).doesNotExist();
    }

    @Test
    void passwordStdinWithNothingOnStandardInputIsRefusedAndRemembersNothing() {
        standardInput("");

        int exit = run("--store", SHARED, "--password-stdin");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("--password-stdin found no password on standard input");
        assertThat(data()).doesNotExist();
    }

    @Test
    void aBadDbUserIsRefused() {
        int exit = run("--store", "postgresql://db.example.org/jobdeck", "--db-user", "u".repeat(64));

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("Invalid value for option '--db-user': The database user name is 64 bytes long");
        assertThat(data()).doesNotExist();
    }

    @Test
    void storeLocationsSeesWhatTheOptionRemembered() throws Exception {
        assertThat(run("--store", "postgres://db.example.org:6000/jobdeck", "--db-user", "ops")).isZero();

        assertThat(StoreLocations.read(new DataDirectory(data())))
                .isEqualTo(StoreLocation.parse("postgresql://ops@db.example.org:6000/jobdeck"));
    }
}
