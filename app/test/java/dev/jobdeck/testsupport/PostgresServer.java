package dev.jobdeck.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL on 127.0.0.1 for tests, and a fresh, empty database for each test that asks
 * ({@link #freshDatabase()}). Where the server comes from, in this order:
 * <ol>
 * <li>{@code JOBDECK_TEST_POSTGRES=off} (or {@code -Djobdeck.test.postgres=off}): none; the PostgreSQL tests are
 * skipped.</li>
 * <li>{@code JOBDECK_TEST_POSTGRES_URL} ({@code postgresql://USER@127.0.0.1:PORT/postgres}) with the superuser's
 * password in the file {@code JOBDECK_TEST_POSTGRES_PASSWORD_FILE}: that server ({@code .ci/run} starts one for the
 * whole run). With {@code JOBDECK_TEST_POSTGRES_DIR}, the cluster's directory, tests may also stop and start it. Only
 * failsafe's one JVM sees these: the pom keeps them from surefire's parallel forks, which make a cluster each (below),
 * since a test that stops the server would take it away from the other forks' tests.</li>
 * <li>Otherwise (a developer's {@code mvn test}) this JVM makes its own throw-away cluster with {@code .ci/postgres
 * start} in a temporary directory the first time a test asks, and removes it when the JVM exits.</li>
 * </ol>
 * Where none of these gives a server, every PostgreSQL test is skipped (a JUnit assumption) and the reason is said
 * once on standard error, e.g. {@code PostgreSQL tests skipped: no initdb found; install Debian's postgresql ...}.
 */
public final class PostgresServer {

    static final String SWITCH = "JOBDECK_TEST_POSTGRES";
    static final String URL = "JOBDECK_TEST_POSTGRES_URL";
    static final String PASSWORD_FILE = "JOBDECK_TEST_POSTGRES_PASSWORD_FILE";
    static final String DIRECTORY = "JOBDECK_TEST_POSTGRES_DIR";
    private static final String SKIPPED = "PostgreSQL tests skipped: ";

    private PostgresServer() {
    }

    /** One database of its own for a test: empty, owned by the cluster's superuser, never handed out twice. */
    public record Database(String host, int port, String name, String user, String password) {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + name;
        }

        /** The libpq form, without the password: {@code postgresql://user@host:port/name}. */
        public String url() {
            return "postgresql://" + user + "@" + host + ":" + port + "/" + name;
        }

        /** A plain JDBC connection as the superuser, over TCP with its password (SCRAM); the caller closes it. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), user, password);
        }

        @Override
        public String toString() {
            return url();
        }
    }

    /** A new, empty database on this JVM's server, or the test is skipped (with the reason) when there is none. */
    public static Database freshDatabase() {
        return cluster().freshDatabase();
    }

    /**
     * Takes PostgreSQL away ({@code pg_ctl stop -m fast}: sessions are ended, new connections refused) until
     * {@link #start()}; the next {@link #freshDatabase()} starts it again if a test did not. Skips the test when the
     * server is one this JVM may not stop (a {@code JOBDECK_TEST_POSTGRES_URL} without {@code JOBDECK_TEST_POSTGRES_DIR}).
     */
    public static void stop() {
        cluster().stop();
    }

    /** Brings the server back on the same port, with every database as it was. */
    public static void start() {
        cluster().start();
    }

    /** The cluster's directory ({@code password}, {@code cluster/data}, ...) when this JVM knows it. */
    public static Optional<Path> directory() {
        return Optional.ofNullable(cluster().directory);
    }

    private static Cluster cluster() {
        Availability availability = ThisJvm.AVAILABILITY;
        Assumptions.assumeTrue(availability.cluster() != null, () -> SKIPPED + availability.skipReason());
        return availability.cluster();
    }

    /**
     * The one server of this JVM, found or made on first use. A per-JVM holder and not a server per test class,
     * because making a cluster costs a second and tens of megabytes and CI's comes once per run anyway: tests are
     * kept apart by a database each, not by a server each.
     */
    private static final class ThisJvm {
        static final Availability AVAILABILITY = announce(locate(environment(), projectDir()));

        private static Map<String, String> environment() {
            Map<String, String> environment = new HashMap<>(System.getenv());
            String property = System.getProperty("jobdeck.test.postgres");
            if (property != null) {
                environment.put(SWITCH, property);
            }
            return environment;
        }

        private static Availability announce(Availability availability) {
            if (availability.cluster() == null) {
                System.err.println(SKIPPED + availability.skipReason());
            }
            return availability;
        }
    }

    /** A server to use, or why there is none. */
    record Availability(Cluster cluster, String skipReason) {

        static Availability none(String reason) {
            return new Availability(null, reason);
        }
    }

    /**
     * Finds the server that {@code environment} names, or makes one with the {@code .ci/postgres} script of
     * {@code projectDir} (the script runs with {@code environment} as its whole environment).
     */
    static Availability locate(Map<String, String> environment, Path projectDir) {
        String onOff = environment.getOrDefault(SWITCH, "").trim().toLowerCase(Locale.ROOT);
        if (List.of("off", "false", "0", "no").contains(onOff)) {
            return Availability.none(SWITCH + "=" + environment.get(SWITCH));
        }
        Optional<Path> script = script(projectDir);
        String url = environment.get(URL);
        if (url != null && !url.isBlank()) {
            return fromEnvironment(url.trim(), environment, script);
        }
        if (script.isEmpty()) {
            return Availability.none("no .ci/postgres found in " + projectDir + " or above it");
        }
        return ownCluster(script.get(), environment);
    }

    private static Availability fromEnvironment(String url, Map<String, String> environment, Optional<Path> script) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Availability.none(URL + " is not a postgresql:// URL: " + url);
        }
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0 || uri.getUserInfo() == null
                || uri.getUserInfo().contains(":")) {
            return Availability.none(URL + " must look like postgresql://USER@127.0.0.1:PORT/postgres (the password in "
                    + PASSWORD_FILE + "), not " + url);
        }
        String passwordFile = environment.get(PASSWORD_FILE);
        if (passwordFile == null || passwordFile.isBlank()) {
            return Availability.none(URL + " is set but " + PASSWORD_FILE + " is not");
        }
        String password;
        try {
            password = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return Availability.none("cannot read " + PASSWORD_FILE + " " + passwordFile + ": " + e);
        }
        String maintenance = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String directory = environment.get(DIRECTORY);
        Cluster cluster = new Cluster(new Database(uri.getHost(), uri.getPort(), maintenance, uri.getUserInfo(), password),
                directory == null || directory.isBlank() ? null : Path.of(directory), script.orElse(null), environment);
        try (Connection connection = cluster.maintenance.connect()) {
            return connection.isValid(10) ? new Availability(cluster, null)
                    : Availability.none(url + " (" + URL + ") accepted a connection but does not answer");
        } catch (SQLException e) {
            return Availability.none("cannot connect to " + url + " (" + URL + "): " + e.getMessage());
        }
    }

    private static Availability ownCluster(Path script, Map<String, String> environment) {
        Path directory;
        try {
            directory = Files.createTempDirectory("jobdeck-postgres");
        } catch (IOException e) {
            return Availability.none("cannot make a temporary directory for the cluster: " + e);
        }
        Script.Result started = Script.run(script, environment, "start", directory.toString());
        if (started.exitCode() != 0) {
            Script.run(script, environment, "stop", directory.toString());
            return Availability.none(started.reason());
        }
        URI uri = URI.create(started.out().strip());
        String password;
        try {
            password = Files.readString(directory.resolve("password"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            Script.run(script, environment, "stop", directory.toString());
            return Availability.none("cannot read the password of the cluster .ci/postgres made: " + e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Script.run(script, environment, "stop", directory.toString()),
                "jobdeck-test-postgres-stop"));
        return new Availability(new Cluster(new Database(uri.getHost(), uri.getPort(), uri.getPath().substring(1),
                uri.getUserInfo(), password), directory, script, environment), null);
    }

    /** {@code .ci/postgres} in {@code projectDir} or the nearest directory above it that has one. */
    private static Optional<Path> script(Path projectDir) {
        for (Path directory = projectDir.toAbsolutePath(); directory != null; directory = directory.getParent()) {
            Path script = directory.resolve(".ci").resolve("postgres");
            if (Files.isRegularFile(script)) {
                return Optional.of(script);
            }
        }
        return Optional.empty();
    }

    static Path projectDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    /** A running server: its maintenance database, and what this JVM needs to stop and start it, where it may. */
    static final class Cluster {
        private final Database maintenance;
        private final Path directory;
        private final Path script;
        private final Map<String, String> environment;
        private boolean stopped;

        Cluster(Database maintenance, Path directory, Path script, Map<String, String> environment) {
            this.maintenance = maintenance;
            this.directory = directory;
            this.script = script;
            this.environment = environment;
        }

        synchronized Database freshDatabase() {
            if (stopped) {
                start();
            }
            String name = "test_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection connection = maintenance.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create a database on " + maintenance + ": " + e.getMessage(), e);
            }
            return new Database(maintenance.host(), maintenance.port(), name, maintenance.user(), maintenance.password());
        }

        synchronized void stop() {
            control("down");
            stopped = true;
        }

        synchronized void start() {
            control("up");
            stopped = false;
        }

        private void control(String command) {
            if (directory == null || script == null) {
                Assumptions.abort("this test stops PostgreSQL, and may not stop the one " + URL + " names: "
                        + (directory == null ? DIRECTORY + " is not set" : "no .ci/postgres found"));
            }
            Script.Result result = Script.run(script, environment, command, directory.toString());
            if (result.exitCode() != 0) {
                throw new IllegalStateException(".ci/postgres " + command + " " + directory + " failed: " + result.reason());
            }
        }
    }

    /** Runs {@code .ci/postgres}: one line on stdout when it worked, the reason on stderr when it did not. */
    private static final class Script {

        record Result(int exitCode, String out, String err) {

            /** The script's last line on stderr without its {@code .ci/postgres: } prefix. */
            String reason() {
                List<String> lines = err.lines().filter(line -> !line.isBlank()).toList();
                String last = lines.isEmpty() ? ".ci/postgres exited with " + exitCode : lines.get(lines.size() - 1);
                return last.startsWith(".ci/postgres: ") ? last.substring(".ci/postgres: ".length()) : last;
            }
        }

        static Result run(Path script, Map<String, String> environment, String... arguments) {
            Path out = null;
            Path err = null;
            try {
                out = Files.createTempFile("jobdeck-postgres", ".out");
                err = Files.createTempFile("jobdeck-postgres", ".err");
                ProcessBuilder builder = new ProcessBuilder("bash", script.toString());
                builder.command().addAll(List.of(arguments));
                builder.environment().clear();
                builder.environment().putAll(environment);
                Process process = builder.redirectInput(ProcessBuilder.Redirect.PIPE)
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly().waitFor();
                    return new Result(-1, "", ".ci/postgres " + arguments[0] + " did not finish in two minutes");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return new Result(-1, "", "cannot run .ci/postgres: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(-1, "", ".ci/postgres " + arguments[0] + " was interrupted");
            } finally {
                delete(out);
                delete(err);
            }
        }

        private static void delete(Path file) {
            if (file == null) {
                return;
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                System.getLogger(PostgresServer.class.getName()).log(System.Logger.Level.DEBUG, "cannot delete " + file, e);
            }
        }
    }
}
