package dev.jobdeck.core.store;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a data directory remembers its store: {@code store.properties} in it, owner-only, holding the location's URL
 * (without user or password) and the database user. No file means the embedded H2 store, as before issue 17.
 *
 * <p>A data directory keeps one store for its life. Choosing the same database again is fine (and may change the user
 * or TLS mode it is reached with); naming another one, or PostgreSQL for a directory that has an embedded store
 * already, is refused and writes nothing: moving jobs from one store to another is an explicit act
 * ({@code jobdeck store move}), never a side effect of an option (decision 36).
 */
public final class StoreLocations {

    static final String URL_KEY = "url";
    static final String USER_KEY = "user";
    private static final System.Logger LOG = System.getLogger(StoreLocations.class.getName());

    private StoreLocations() {
    }

    /** The store the directory remembers, or the embedded one when it remembers none. */
    public static StoreLocation read(DataDirectory directory) throws StoreException {
        Path file = directory.storeLocationFile();
        if (!Files.exists(file)) {
            return new StoreLocation.Embedded();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("Cannot read where the store lives from " + file + ": "
                    + (e instanceof IOException io ? DataDirectory.describe(io) : "it is not a properties file") + ".", e);
        }
        String url = properties.getProperty(URL_KEY, "");
        if (url.isBlank()) {
            throw new StoreException("The file " + file + " names no store (it has no " + URL_KEY
                    + "=postgresql://host:port/database line); run the command again with --store URL to write it again.");
        }
        StoreLocation location;
        try {
            location = StoreLocation.parse(url);
        } catch (IllegalArgumentException e) {
            throw new StoreException("The store named in " + file + " cannot be used: " + e.getMessage(), e);
        }
        String user = properties.getProperty(USER_KEY, "");
        if (location instanceof StoreLocation.Postgres postgres && !user.isBlank()) {
            try {
                return postgres.withUser(Optional.of(user));
            } catch (IllegalArgumentException e) {
                throw new StoreException("The user named in " + file + " cannot be used: " + e.getMessage(), e);
            }
        }
        return location;
    }

    /**
     * Remembers {@code given} as the directory's store, or refuses it with a {@link StoreLocationRefusedException}
     * that names both stores and changes nothing. Returns the location to use: {@code given}, with the user the
     * directory remembers when {@code given} names none.
     */
    public static StoreLocation remember(DataDirectory directory, StoreLocation given) throws StoreException {
        StoreLocation remembered = read(directory);
        if (given instanceof StoreLocation.Embedded) {
            if (remembered instanceof StoreLocation.Postgres postgres) {
                throw new StoreLocationRefusedException("The data directory " + directory.path() + " keeps its jobs in"
                        + " PostgreSQL " + postgres.display() + ", not in the embedded H2 store that --store names; moving"
                        + " a store is an explicit act: `jobdeck store move --to h2`.");
            }
            return remembered;
        }
        StoreLocation.Postgres wanted = (StoreLocation.Postgres) given;
        if (remembered instanceof StoreLocation.Postgres postgres) {
            if (!postgres.sameDatabase(wanted)) {
                throw new StoreLocationRefusedException("The data directory " + directory.path() + " keeps its jobs in"
                        + " PostgreSQL " + postgres.display() + ", not in " + wanted.display() + " that --store names;"
                        + " moving a store is an explicit act: `jobdeck store move --to " + wanted.display() + "`.");
            }
            StoreLocation.Postgres merged = wanted.user().isPresent() ? wanted : wanted.withUser(postgres.user());
            if (!merged.equals(postgres)) {
                write(directory, merged);
            }
            return merged;
        }
        if (Files.exists(directory.databaseFile())) {
            throw new StoreLocationRefusedException("The data directory " + directory.path() + " already keeps its jobs"
                    + " in an embedded H2 store (" + directory.databaseFile() + "); move them to PostgreSQL with"
                    + " `jobdeck store move --to " + wanted.display() + "`, or choose another --data-dir for a new store.");
        }
        write(directory, wanted);
        return wanted;
    }

    /**
     * Remembers {@code to} as the store of a directory whose embedded store {@code jobdeck store move} has just copied
     * there: the one way a directory with an H2 file comes to keep its jobs in PostgreSQL. The H2 file stays as it was
     * (the store before the move, to go back to by hand); {@code moved.from} and {@code moved.at} say so.
     */
    public static void rememberMoved(DataDirectory directory, StoreLocation.Postgres to, java.time.Instant at)
            throws StoreException {
        write(directory, to, java.util.Map.of(MOVED_FROM_KEY, directory.databaseFile().toString(), MOVED_AT_KEY,
                at.toString()));
    }

    static final String MOVED_FROM_KEY = "moved.from";
    static final String MOVED_AT_KEY = "moved.at";

    private static void write(DataDirectory directory, StoreLocation.Postgres location) throws StoreException {
        write(directory, location, java.util.Map.of());
    }

    private static void write(DataDirectory directory, StoreLocation.Postgres location, java.util.Map<String, String> notes)
            throws StoreException {
        directory.prepareForWriting();
        Properties properties = new Properties();
        properties.setProperty(URL_KEY, location.withUser(Optional.empty()).url());
        location.user().ifPresent(user -> properties.setProperty(USER_KEY, user));
        notes.forEach(properties::setProperty);
        StringWriter text = new StringWriter();
        Path file = directory.storeLocationFile();
        try {
            properties.store(text, "Where this data directory's store lives (jobdeck store show). The password is not"
                    + " here: it is in the OS keyring or secrets.enc.");
            OwnerOnly.writeAtomically(file, text.toString());
        } catch (IOException e) {
            throw new StoreException("Cannot write where the store lives to " + file + ": " + DataDirectory.describe(e), e);
        }
        LOG.log(System.Logger.Level.INFO, "The data directory {0} now keeps its jobs in PostgreSQL {1}",
                directory.path(), location);
    }
}
