package dev.jobdeck.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL of a test's own ({@code .ci/postgres start} with {@code JOBDECK_TEST_POSTGRES_LISTEN}),
 * listening on 127.0.0.1 and on the addresses given (each {@code ADDRESS/PREFIX}, whose subnet may log in with the
 * password). {@link PostgresServer}'s shared cluster listens on 127.0.0.1 only; this one is for a client that is not
 * on this machine's loopback, e.g. in a {@link NetworkNamespace}. Stopped and removed on {@link #close()}.
 */
public final class ListeningPostgres implements AutoCloseable {

    private final Path script;
    private final Path directory;
    private final PostgresServer.Database maintenance;

    private ListeningPostgres(Path script, Path directory, PostgresServer.Database maintenance) {
        this.script = script;
        this.directory = directory;
        this.maintenance = maintenance;
    }

    /** A new cluster, or the test is skipped with the reason when {@code .ci/postgres} cannot make one here. */
    public static ListeningPostgres start(String... listen) throws IOException, InterruptedException {
        String onOff = System.getenv().getOrDefault(PostgresServer.SWITCH, System.getProperty("jobdeck.test.postgres", ""));
        Assumptions.assumeFalse(List.of("off", "false", "0", "no").contains(onOff.trim()),
                () -> "PostgreSQL tests skipped: " + PostgresServer.SWITCH + "=" + onOff);
        Path script = PostgresServer.projectDir().toAbsolutePath().resolve(".ci").resolve("postgres");
        Assumptions.assumeTrue(Files.isRegularFile(script), () -> "PostgreSQL tests skipped: no " + script);
        Path directory = Files.createTempDirectory("jobdeck-postgres");
        Result started = run(script, String.join(",", listen), "start", directory.toString());
        if (started.exitCode() != 0) {
            run(script, "", "stop", directory.toString());
            Assumptions.abort("PostgreSQL tests skipped: .ci/postgres start failed: " + started.err().strip());
        }
        URI uri = URI.create(started.out().strip());
        String password = Files.readString(directory.resolve("password"), StandardCharsets.UTF_8).strip();
        return new ListeningPostgres(script, directory, new PostgresServer.Database(uri.getHost(), uri.getPort(),
                uri.getPath().substring(1), uri.getUserInfo(), password));
    }

    public int port() {
        return maintenance.port();
    }

    /** A new, empty database, named for 127.0.0.1; {@link #at(PostgresServer.Database, String)} names it elsewhere. */
    public PostgresServer.Database freshDatabase() throws Exception {
        String name = "test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = maintenance.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new PostgresServer.Database(maintenance.host(), maintenance.port(), name, maintenance.user(),
                maintenance.password());
    }

    /** The same database reached through {@code host}. */
    public static PostgresServer.Database at(PostgresServer.Database database, String host) {
        return new PostgresServer.Database(host, database.port(), database.name(), database.user(), database.password());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(script, "", "stop", directory.toString());
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(Path script, String listen, String... arguments) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jobdeck-postgres", ".out");
        Path err = Files.createTempFile("jobdeck-postgres", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString());
            builder.command().addAll(List.of(arguments));
            builder.environment().put("JOBDECK_TEST_POSTGRES_LISTEN", listen);
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                return new Result(-1, "", ".ci/postgres " + arguments[0] + " did not finish in two minutes");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
