package dev.jobdeck.cli;

import dev.jobdeck.testsupport.CapturedTerminal;
import dev.jobdeck.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands on a PostgreSQL store (issue 17), run in this JVM as a user would: {@code --store} and
 * {@code --password-stdin} once, the data directory remembers them, and every failure to get in is one sentence.
 */
class PostgresStoreCommandsTest {

    @TempDir
    Path temp;

    @RegisterExtension
    final CapturedTerminal terminal = new CapturedTerminal();
    private final InputStream originalIn = System.in;

    @AfterEach
    void restoreStandardInput() {
        System.setIn(originalIn);
    }

    private void standardInput(String text) {
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private String output() {
        return terminal.out.toString(StandardCharsets.UTF_8);
    }

    private String errors() {
        return terminal.err.toString(StandardCharsets.UTF_8);
    }

    private int status(String... more) {
        List<String> args = new ArrayList<>(List.of("status", "--data-dir", temp.toString()));
        args.addAll(List.of(more));
        return Main.run(args.toArray(String[]::new));
    }

    @Test
    void statusWithStoreAndPasswordStdinOnAFreshDatabasePrintsAStatusAndRemembersTheStore() throws Exception {
        PostgresServer.Database database = PostgresServer.freshDatabase();
        standardInput(database.password() + "\n");

        int exit = status("--store", database.url(), "--password-stdin");

        assertThat(exit).as(errors()).isZero();
        assertThat(output()).contains("JobDeck data in " + temp).contains("Ledger: 0 accepted");
        assertThat(Files.readString(temp.resolve("store.properties"))).contains(database.name());

        terminal.out.reset();
        System.setIn(new ByteArrayInputStream(new byte[0]));
        assertThat(status()).as("the second status, with no --store and nothing on stdin: " + errors()).isZero();
        assertThat(output()).contains("JobDeck data in " + temp);
    }

    @Test
    void aWrongPasswordIsOneSentenceThatNamesTheStoreAndTheUser() {
        PostgresServer.Database database = PostgresServer.freshDatabase();
        standardInput("not-" + database.password() + "\n");

        int exit = status("--store", database.url(), "--password-stdin");

        assertThat(exit).isNotZero();
        assertThat(errors()).contains("PostgreSQL refused the password for user " + database.user() + " on "
                        + database.url() + "; set it with `jobdeck store password`.")
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(database.password());
        assertThat(output()).isEmpty();
    }

    @Test
    void aPortWhereNothingListensSaysTheStoreCannotBeReached() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "postgresql://ops@127.0.0.1:" + port + "/mail";
        standardInput("secret\n");

        int exit = status("--store", url, "--password-stdin");

        assertThat(exit).isEqualTo(ScriptStore.UNREADABLE);
        assertThat(errors()).contains("Cannot reach the PostgreSQL store " + url + ": Connection refused.")
                .doesNotContain("Exception").doesNotContain("secret");
    }

    @Test
    void aDatabaseThatDoesNotExistIsNamedAsSuch() {
        PostgresServer.Database database = PostgresServer.freshDatabase();
        String url = database.url() + "_missing";
        standardInput(database.password() + "\n");

        int exit = status("--store", url, "--password-stdin");

        assertThat(exit).isNotZero();
        assertThat(errors()).contains("PostgreSQL has no database named as in " + url).doesNotContain("Exception");
    }

    @Test
    void aWorkerOnAPostgreSqlStoreDoesNotAskForAConsole() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "postgresql://ops@127.0.0.1:" + port + "/mail";
        standardInput("secret\n");

        int exit = Main.run("worker", "--data-dir", temp.toString(), "--store", url, "--password-stdin");

        assertThat(exit).isEqualTo(WorkerCommand.UNREACHABLE);
        assertThat(errors()).contains("Cannot reach the PostgreSQL store " + url).doesNotContain("console");
    }

    @Test
    void aDatabaseWithOtherTablesIsRefusedAndLeftAsItWas() throws Exception {
        PostgresServer.Database database = PostgresServer.freshDatabase();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE invoices (id int PRIMARY KEY)");
        }
        standardInput(database.password() + "\n");

        int exit = status("--store", database.url(), "--password-stdin");

        assertThat(exit).isNotZero();
        assertThat(errors()).contains("The PostgreSQL database " + database.url() + " is not empty and is not a JobDeck"
                + " store").contains("give an empty database.").doesNotContain("Exception");
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                     + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY table_name")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            assertThat(names).containsExactly("invoices");
        }
    }

    @Test
    void aBadStoreUrlIsAUsageErrorThatRemembersNothing() {
        int exit = status("--store", "postgresql://db.example.org:99999/mail");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("Invalid value for option '--store'").contains("99999");
        assertThat(temp.resolve("store.properties")).doesNotExist();
    }

    @Test
    void passwordStdinOnTheEmbeddedStoreIsRefusedBeforeAnythingIsWritten() {
        standardInput("secret\n");

        int exit = status("--password-stdin");

        assertThat(exit).isEqualTo(Main.INVALID_INPUT);
        assertThat(errors()).contains("--password-stdin is for a PostgreSQL store");
        assertThat(temp.resolve("store.properties")).doesNotExist();
        assertThat(temp.resolve("secrets.enc")).doesNotExist();
    }
}
