package dev.jobdeck.core.store;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the console serves its database to other JobDeck processes: {@code store.endpoint} in the data
 * directory names the loopback port and the serving process. Workers and scripts read it on every
 * connection attempt, so a console that restarts on another port is found again without restarting them.
 */
public record StoreEndpoint(int port, long pid, Instant startedAt) {

    static final String FILE = "store.endpoint";
    /** The only database name the console's TCP server answers to: it maps it to the store, and refuses any other. */
    static final String DATABASE_KEY = "jobdeck";

    public static Optional<StoreEndpoint> read(DataDirectory directory) {
        Path file = directory.path().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return Optional.of(new StoreEndpoint(Integer.parseInt(properties.getProperty("port")),
                    Long.parseLong(properties.getProperty("pid")), Instant.parse(properties.getProperty("started"))));
        } catch (IOException | RuntimeException e) {
            // Half-written or foreign file: treat it as "no console serving"; the lock tells the rest.
            return Optional.empty();
        }
    }

    /** Whether the process that wrote this endpoint is still alive (a {@code kill -9} leaves the file behind). */
    public boolean ownerAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The JDBC URL of the served database, always on 127.0.0.1. */
    public String jdbcUrl() {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + DATABASE_KEY;
    }

    void write(DataDirectory directory) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("pid", Long.toString(pid));
        properties.setProperty("started", startedAt.toString());
        Path target = directory.path().resolve(FILE);
        Path temporary = directory.path().resolve(FILE + ".tmp");
        Files.deleteIfExists(temporary);
        OwnerOnly.createFile(temporary);
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "JobDeck console serving this data directory on 127.0.0.1");
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void delete(DataDirectory directory) {
        try {
            Files.deleteIfExists(directory.path().resolve(FILE));
        } catch (IOException e) {
            // A stale file is harmless: readers check that its owner is alive and that the port answers.
            System.getLogger(StoreEndpoint.class.getName()).log(System.Logger.Level.DEBUG, "cannot delete endpoint", e);
        }
    }
}
