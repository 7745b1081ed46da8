package dev.jobdeck.core.store;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import org.h2.Driver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Other accounts on the machine are not trusted (decision 22). The console's H2 port is reachable by every local
 * account, so it must serve nothing but the store, to nobody without its password, and even with the password only
 * rows: no functions, no files. And the data directory is its owner's alone.
 */
class StoreAccessTest {

    @TempDir
    Path temp;

    @Test
    void theConsolesPortRefusesADatabaseOfTheClientsChoosing() throws Exception {
        // The attack from the issue: a database file of one's own, in which one is admin, opened through the console's
        // server, so that CREATE ALIAS runs code in the console's process.
        Path evil = temp.resolve("elsewhere/evil");
        try (Connection own = DriverManager.getConnection("jdbc:h2:" + evil, "x", "y")) {
            own.createStatement().execute("CALL 1");
        }
        try (ConsoleServices console = Consoles.open(temp.resolve("data"))) {
            int port = StoreEndpoint.read(console.directory()).orElseThrow().port();
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + port + "/" + evil, "x", "y"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
            // Not even the store itself under its file name: only the one name the server maps.
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + port + "/"
                    + console.directory().databaseName(), Database.APPLICATION_USER, console.directory().applicationPassword()))
                    .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
        }
    }

    @Test
    void theConsolesPortCreatesNoDatabase() throws Exception {
        try (ConsoleServices console = Consoles.open(temp.resolve("data"))) {
            int port = StoreEndpoint.read(console.directory()).orElseThrow().port();
            Path fresh = temp.resolve("fresh");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + port + "/" + fresh, "x", "y"))
                    .isInstanceOf(SQLException.class);
            assertThat(temp.resolve("fresh.mv.db")).doesNotExist();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE ALIAS EXEC AS 'String e(String c) throws Exception { return String.valueOf(Runtime.getRuntime().exec(c)); }'",
            "CREATE ALIAS GET_PROP FOR 'java.lang.System.getProperty'",
            "SELECT FILE_READ('%s/db.password')",
            "CALL FILE_WRITE('x', '%s/written')",
            "SELECT * FROM CSVREAD('%s/db.password')",
            "CALL CSVWRITE('%s/written.csv', 'SELECT 1')",
            "SCRIPT TO '%s/dump.sql'",
            "BACKUP TO '%s/backup.zip'",
            "RUNSCRIPT FROM '%s/db.password'",
            "CALL LINK_SCHEMA('L', '', 'jdbc:h2:mem:x', 'sa', 'sa', 'PUBLIC')",
            "CREATE LINKED TABLE L('', 'jdbc:h2:mem:x', 'sa', 'sa', 'T')",
            "CREATE TRIGGER T BEFORE INSERT ON jd_setting FOR EACH ROW CALL 'dev.jobdeck.core.store.StoreAccessTest'",
            "CREATE TABLE intruder (id INT)",
            "DROP TABLE jd_setting",
            "ALTER USER " + Database.APPLICATION_USER + " ADMIN TRUE",
            "CREATE USER intruder PASSWORD 'x' ADMIN",
            "SET EXCLUSIVE 1"})
    void theApplicationUserReadsAndWritesRowsButRunsNoCodeAndTouchesNoFile(String attack) throws Exception {
        try (ConsoleServices console = Consoles.open(temp.resolve("data"));
             Connection client = asApplicationUser(console); Statement statement = client.createStatement()) {
            String sql = attack.formatted(console.directory().path());
            assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("Admin rights are required",
                            "Not enough rights", "Function \"FILE_READ\" not found"));
            try (Stream<Path> files = Files.list(console.directory().path())) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("written") || name.startsWith("dump") || name.startsWith("backup"));
            }
        }
    }

    @Test
    void theApplicationUserDoesTheWorkOfWorkersAndScripts() throws Exception {
        try (ConsoleServices console = Consoles.open(temp.resolve("data"));
             Connection client = asApplicationUser(console); Statement statement = client.createStatement()) {
            statement.executeUpdate("INSERT INTO jd_setting (name, setting_value) VALUES ('probe', 'x')");
            statement.executeUpdate("UPDATE jd_setting SET setting_value = 'y' WHERE name = 'probe'");
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM jobrunr_jobs")) {
                assertThat(rows.next()).isTrue();
            }
            assertThat(statement.executeUpdate("DELETE FROM jd_setting WHERE name = 'probe'")).isEqualTo(1);
        }
    }

    @Test
    void theDataDirectoryAndEveryFileInItAreOwnerOnly() throws Exception {
        Path data = temp.resolve("data");
        try (ConsoleServices console = Consoles.open(data)) {
            console.startHost();
            var batch = console.parts().queue().queue(Consoles.email(String.join("\n",
                    java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> "user" + i + "@example.org").toList())));
            org.awaitility.Awaitility.await().atMost(Consoles.JOB_TIMEOUT).until(() ->
                    console.parts().reports().ledger(java.util.Optional.of(batch.batchId())).delivered() == 100);
            assertThat(openToOthers(data)).as("files others can read while the console runs").isEmpty();
        }
        assertThat(openToOthers(data)).as("files others can read after it closed").isEmpty();
    }

    @Test
    void aDataDirectoryFromAnOlderVersionIsMadeOwnerOnlyWhenOpened() throws Exception {
        Path data = temp.resolve("data");
        Consoles.open(data).close();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("jobdeck.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(data.resolve("notes.txt"), "an operator's file");
        Files.setPosixFilePermissions(data.resolve("notes.txt"), PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(openToOthers(data)).isNotEmpty();

        Consoles.open(data).close();

        assertThat(openToOthers(data)).isEmpty();
    }

    @Test
    void aDataDirectoryOfAnotherAccountIsRefused() throws Exception {
        assumeTrue(isRoot(), "needs root to give the directory to another account (CI runs as root)");
        Path data = Files.createDirectories(temp.resolve("theirs"));
        UserPrincipal nobody = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(data, nobody);
        assertThatThrownBy(() -> Consoles.open(data)).isInstanceOf(StoreException.class)
                .hasMessageContaining("belongs to the account 'nobody'")
                .hasMessageContaining("choose one of your own with --data-dir");
        assertThat(data.resolve("jobdeck.mv.db")).doesNotExist();
    }

    /**
     * The reproduction, as it was done: another account ({@code nobody}) creates a database of its own, opens
     * it through the console's port and runs {@code id} through CREATE ALIAS. It got {@code uid=0(root)}.
     */
    @ChildProcesses
    @Test
    void anotherAccountRunsNoCodeThroughTheConsolesPort() throws Exception {
        assumeTrue(isRoot() && (Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))),
                "needs root and runuser to act as another account (CI runs as root)");
        Path attacker = Files.createTempDirectory(Path.of("/tmp"), "jobdeck-attacker");
        try (ConsoleServices console = Consoles.open(temp.resolve("data"))) {
            Files.setPosixFilePermissions(attacker, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path h2 = Files.copy(Path.of(Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                    attacker.resolve("h2.jar"));
            Files.setPosixFilePermissions(h2, PosixFilePermissions.fromString("rw-r--r--"));
            int port = StoreEndpoint.read(console.directory()).orElseThrow().port();
            String evil = attacker.resolve("evil").toString();
            assertThat(asNobody(h2, "jdbc:h2:" + evil, "CALL 1")).contains("1");
            String exec = "CREATE ALIAS EXEC AS 'String e(String c) throws Exception { return new String("
                    + "Runtime.getRuntime().exec(c).getInputStream().readAllBytes()); }'; CALL EXEC('id')";
            assertThat(asNobody(h2, "jdbc:h2:tcp://127.0.0.1:" + port + "/" + evil, exec))
                    .doesNotContain("uid=").contains("Wrong user name or password");
            assertThat(asNobody(h2, "jdbc:h2:tcp://127.0.0.1:" + port + "/jobdeck", exec))
                    .doesNotContain("uid=").contains("Wrong user name or password");
            Process listing = new ProcessBuilder(runuser(), "-u", "nobody", "--", "ls", console.directory().path().toString())
                    .redirectErrorStream(true).start();
            assertThat(new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("Permission denied");
        } finally {
            try (Stream<Path> files = Files.walk(attacker)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static String asNobody(Path h2Jar, String url, String sql) throws IOException, InterruptedException {
        Process shell = new ProcessBuilder(runuser(), "-u", "nobody", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", h2Jar.toString(),
                "org.h2.tools.Shell", "-url", url, "-user", "x", "-password", "y", "-sql", sql)
                .redirectErrorStream(true).start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static String runuser() {
        return Files.isExecutable(Path.of("/usr/sbin/runuser")) ? "/usr/sbin/runuser" : "/sbin/runuser";
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Connection asApplicationUser(ConsoleServices console) throws Exception {
        StoreEndpoint endpoint = StoreEndpoint.read(console.directory()).orElseThrow();
        Properties login = new Properties();
        login.setProperty("user", Database.APPLICATION_USER);
        login.setProperty("password", console.directory().applicationPassword());
        return new Driver().connect(endpoint.jdbcUrl(), login);
    }

    /** Every path under {@code root} (itself included) that its group or others may read, write or enter. */
    private static List<String> openToOthers(Path root) throws IOException {
        List<String> open = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : (Iterable<Path>) all::iterator) {
                String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                if (!permissions.substring(3).equals("------")) {
                    open.add(root.relativize(path) + " " + permissions);
                }
            }
        }
        return open;
    }
}
