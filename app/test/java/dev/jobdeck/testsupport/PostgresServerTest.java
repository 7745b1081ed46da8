package dev.jobdeck.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PostgresServerTest {

    @TempDir
    Path temp;

    @Test
    void twoFreshDatabasesAreDistinctAndEmpty() throws Exception {
        PostgresServer.Database first = PostgresServer.freshDatabase();
        PostgresServer.Database second = PostgresServer.freshDatabase();

        assertThat(first.name()).isNotEqualTo(second.name());
        assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + first.port() + "/" + first.name());
        assertThat(first.url()).isEqualTo("postgresql://" + first.user() + "@127.0.0.1:" + first.port() + "/" + first.name())
                .doesNotContain(first.password());
        try (Connection connection = first.connect(); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT current_database()")).isEqualTo(first.name());
            assertThat(tablesIn(statement)).isZero();
            statement.execute("CREATE TABLE only_in_the_first (id INT PRIMARY KEY)");
            assertThat(tablesIn(statement)).isEqualTo(1);
        }
        try (Connection connection = second.connect(); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT current_database()")).isEqualTo(second.name());
            assertThat(tablesIn(statement)).isZero();
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneIsCheckedWithScram() throws Exception {
        PostgresServer.Database database = PostgresServer.freshDatabase();

        assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password() + "x"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01")); // invalid_password
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT host(inet_server_addr())")).isEqualTo("127.0.0.1");
            assertThat(single(statement, "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"))
                    .isEqualTo("scram-sha-256");
            assertThat(single(statement, "SELECT rolpassword FROM pg_authid WHERE rolname = current_user"))
                    .startsWith("SCRAM-SHA-256$");
        }
    }

    /**
     * A server on the wildcard address (or on {@code localhost}, which is {@code ::1} too) would answer on every
     * address of the machine. 127.0.0.2 stands in for the machine's other addresses: it reaches this machine like
     * them, and only a socket bound to exactly 127.0.0.1 refuses it. Every listening socket on the port is read
     * from the kernel's tables as well, IPv6 included.
     */
    @Test
    void theServerListensOnlyOn127001() throws Exception {
        PostgresServer.Database database = PostgresServer.freshDatabase();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
        }

        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), database.port()), 10_000);
            }
        }).isInstanceOf(ConnectException.class);
        assertThat(listeningOn(database.port())).containsExactly("0100007F");
    }

    @Test
    void theClustersFilesAreClosedToOtherAccounts() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of(runuser())),
                "needs root and runuser to act as another account (CI runs as root)");
        Path directory = PostgresServer.directory().orElse(null);
        assumeTrue(directory != null, "the cluster's directory is not known (" + PostgresServer.URL + " without "
                + PostgresServer.DIRECTORY + ")");
        Path password = directory.resolve("password");
        Path version = directory.resolve("cluster/data/PG_VERSION");
        assertThat(Files.readString(password)).isNotBlank();
        assertThat(Files.readString(version)).isNotBlank();

        assertThat(asNobody("cat", password.toString())).contains("Permission denied");
        assertThat(asNobody("cat", version.toString())).contains("Permission denied");
        assertThat(asNobody("ls", directory.toString())).contains("Permission denied");
        assertThat(openToOthers(directory)).isEmpty();
    }

    @Test
    void stopTakesTheServerAwayAndStartBringsItBackWithItsData() throws Exception {
        PostgresServer.Database database = PostgresServer.freshDatabase();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO kept VALUES (7)");
        }

        PostgresServer.stop();
        try {
            assertThatThrownBy(database::connect).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08")); // connection exception
        } finally {
            PostgresServer.start();
        }
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT id FROM kept")).isEqualTo("7");
        }
    }

    @Test
    void offSwitchesThePostgresTestsOff() {
        PostgresServer.Availability availability = PostgresServer.locate(Map.of("JOBDECK_TEST_POSTGRES", "off"),
                PostgresServer.projectDir());

        assertThat(availability.cluster()).isNull();
        assertThat(availability.skipReason()).isEqualTo("JOBDECK_TEST_POSTGRES=off");
    }

    @Test
    void withoutPostgresqlInstalledTheTestsAreSkippedWithTheReason() {
        Map<String, String> environment = environmentWithoutServer();
        environment.put("PATH", "/usr/bin:/bin");
        environment.put("JOBDECK_TEST_POSTGRES_BIN", temp.resolve("no-such-postgresql").toString());

        PostgresServer.Availability availability = PostgresServer.locate(environment, PostgresServer.projectDir());

        assertThat(availability.cluster()).isNull();
        assertThat(availability.skipReason()).startsWith("no initdb found");
    }

    @Test
    void aServerTheEnvironmentNamesThatDoesNotAnswerSkipsWithTheReason() throws IOException {
        Map<String, String> environment = environmentWithoutServer();
        Path password = Files.writeString(temp.resolve("password"), "secret");
        environment.put(PostgresServer.URL, "postgresql://jobdeck_test@127.0.0.1:1/postgres");
        environment.put(PostgresServer.PASSWORD_FILE, password.toString());

        PostgresServer.Availability availability = PostgresServer.locate(environment, PostgresServer.projectDir());

        assertThat(availability.cluster()).isNull();
        assertThat(availability.skipReason()).startsWith("cannot connect to postgresql://jobdeck_test@127.0.0.1:1/postgres");
    }

    @Test
    void aServerTheEnvironmentNamesWithoutItsPasswordFileSkipsWithTheReason() {
        Map<String, String> environment = environmentWithoutServer();
        environment.put(PostgresServer.URL, "postgresql://jobdeck_test@127.0.0.1:5432/postgres");

        PostgresServer.Availability availability = PostgresServer.locate(environment, PostgresServer.projectDir());

        assertThat(availability.skipReason()).isEqualTo(PostgresServer.URL + " is set but " + PostgresServer.PASSWORD_FILE
                + " is not");
    }

    private static Map<String, String> environmentWithoutServer() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.keySet().removeIf(name -> name.startsWith("JOBDECK_TEST_POSTGRES"));
        return environment;
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getString(1);
        }
    }

    private static int tablesIn(Statement statement) throws SQLException {
        return Integer.parseInt(single(statement,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"));
    }

    /** The local addresses (hex, as the kernel writes them) of the sockets listening on {@code port}, IPv4 and IPv6. */
    private static List<String> listeningOn(int port) throws IOException {
        assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "reads the kernel's socket tables (Linux)");
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                if (local[1].equals(hexPort) && fields[3].equals("0A")) { // 0A: LISTEN
                    addresses.add(local[0]);
                }
            }
        }
        return addresses;
    }

    /** What {@code find} lists under {@code directory} that other accounts may read, write or enter. */
    private static String openToOthers(Path directory) throws IOException, InterruptedException {
        // stderr apart: the running server's temporary files may vanish while find walks.
        Process find = new ProcessBuilder("find", directory.toString(), "-perm", "/o=rwx")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String listed = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(find.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return listed;
    }

    private static String asNobody(String... command) throws IOException, InterruptedException {
        List<String> asNobody = new ArrayList<>(List.of(runuser(), "-u", "nobody", "--"));
        asNobody.addAll(List.of(command));
        return run(asNobody.toArray(String[]::new));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static String runuser() {
        return Files.isExecutable(Path.of("/usr/sbin/runuser")) ? "/usr/sbin/runuser" : "/sbin/runuser";
    }
}
