package dev.jobdeck.core.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The folder that holds everything JobDeck keeps on disk: the H2 database, its generated password and
 * the console lock. Resolved from {@code --data-dir}, then {@code JOBDECK_HOME}, then {@code ~/.jobdeck}.
 */
public final class DataDirectory {

    public static final String ENV_VARIABLE = "JOBDECK_HOME";
    static final String DATABASE_NAME = "jobdeck";
    /** The built-in sink's mailbox: a database of its own, like any SMTP server's store (decision 15). */
    static final String SINK_DATABASE_NAME = "sink-mailbox";
    private static final System.Logger LOG = System.getLogger(DataDirectory.class.getName());
    private static final String PASSWORD_FILE = "db.password";
    private static final String APPLICATION_PASSWORD_FILE = "db.app.password";
    private static final String STORE_LOCATION_FILE = "store.properties";

    private final Path path;

    public DataDirectory(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    /** The directory an operator asked for, in order of precedence: option, environment, home. */
    public static DataDirectory resolve(Optional<Path> option, Map<String, String> environment, Path userHome) {
        if (option.isPresent()) {
            return new DataDirectory(option.get());
        }
        String fromEnv = environment.get(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new DataDirectory(Path.of(fromEnv.trim()));
        }
        return new DataDirectory(userHome.resolve(".jobdeck"));
    }

    public Path path() {
        return path;
    }

    /** The database file H2 writes ({@code jobdeck.mv.db}). */
    public Path databaseFile() {
        return path.resolve(DATABASE_NAME + ".mv.db");
    }

    /**
     * Where the directory remembers a store that is not the embedded one ({@code store.properties}, see
     * {@link StoreLocations}); no such file means the embedded H2 store.
     */
    public Path storeLocationFile() {
        return path.resolve(STORE_LOCATION_FILE);
    }

    /** The built-in sink's mailbox file ({@code sink-mailbox.mv.db}). */
    public Path sinkMailboxFile() {
        return path.resolve(SINK_DATABASE_NAME + ".mv.db");
    }

    /**
     * Renames a file H2 cannot read to {@code <name>.damaged-<yyyyMMdd-HHmmss>.mv.db} beside it, so a new one can be
     * created and the old one is kept for whoever wants to look at it; returns the new name.
     */
    public Path moveAside(Path file, Instant now) throws StoreException {
        String name = file.getFileName().toString();
        String base = name.endsWith(".mv.db") ? name.substring(0, name.length() - ".mv.db".length()) : name;
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now);
        Path aside = file.resolveSibling(base + ".damaged-" + stamp + ".mv.db");
        try {
            return Files.move(file, aside);
        } catch (IOException e) {
            throw new StoreException("Cannot move the damaged file " + file + " aside: " + describe(e), e);
        }
    }

    /** Where bulk jobs journal their ledger entries before they are folded into the database ({@link LedgerJournal}). */
    public Path journalDirectory() {
        return path.resolve("journal");
    }

    /**
     * The database as H2 names it, in the same form for the owner and for TCP clients (so both reach the one open
     * database). {@code async:} makes H2 use an {@code AsynchronousFileChannel}: JobRunr interrupts job threads
     * when a host stops, and an interrupt in the middle of a plain {@code FileChannel} write closes the channel,
     * after which H2 closes the whole database (or, seen here, spins forever in its chunk bookkeeping).
     */
    String databaseName() {
        return h2Name(DATABASE_NAME);
    }

    /** The sink's mailbox as H2 names it; only the console opens it, never over TCP. */
    String sinkMailboxName() {
        return h2Name(SINK_DATABASE_NAME);
    }

    private String h2Name(String name) {
        return "async:" + path.resolve(name).toString().replace('\\', '/');
    }

    public boolean exists() {
        return Files.isDirectory(path) && Files.exists(databaseFile());
    }

    /**
     * Whether the directory holds a store: the embedded one's file, or the note of where its store lives (a store in
     * PostgreSQL keeps no file here, issue 17). What a process's log waits for before it writes into the directory.
     */
    public boolean holdsStore() {
        return exists() || Files.isRegularFile(storeLocationFile());
    }

    /**
     * Creates the directory if needed (owner-only), proves it can be written and belongs to this account, and takes
     * group and others' rights away from it and its files (decision 22); or says why not.
     */
    public void prepareForWriting() throws StoreException {
        OwnerOnly.restrictNewFiles();
        try {
            OwnerOnly.createDirectories(path);
        } catch (IOException e) {
            throw new StoreException("Cannot create the data directory " + path + ": " + describe(e), e);
        }
        if (!Files.isDirectory(path)) {
            throw new StoreException("The data directory " + path + " is not a directory.");
        }
        Path probe = path.resolve(".write-test-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(probe);
            OwnerOnly.createFile(probe);
        } catch (IOException e) {
            throw new StoreException("Cannot write to the data directory " + path + ": " + describe(e)
                    + ". Choose another folder with --data-dir or " + ENV_VARIABLE + ".", e);
        }
        try {
            OwnerOnly.claim(path, probe);
        } catch (IOException e) {
            throw new StoreException("Cannot make the data directory " + path + " private to its owner: " + describe(e), e);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot delete " + probe, e);
            }
        }
    }

    /**
     * The password of the store's owner (an H2 admin), generated on first use and kept in a file only the owner can
     * read. Only the process that opens the file itself logs in with it; a random password means a copied database
     * file is not readable with H2's default {@code sa}/empty login.
     */
    String databasePassword() throws StoreException {
        return secret(PASSWORD_FILE);
    }

    /**
     * The password of the store's application user, who reads and writes rows but is no admin: workers and scripts
     * log in with it through the console's TCP server (decision 22).
     */
    String applicationPassword() throws StoreException {
        return secret(APPLICATION_PASSWORD_FILE);
    }

    private String secret(String name) throws StoreException {
        Path file = path.resolve(name);
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (stored.isEmpty()) {
                    throw new StoreException("The password file " + file + " is empty; the database cannot be opened.");
                }
                return stored;
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            OwnerOnly.createFile(file);
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return password;
        } catch (IOException e) {
            throw new StoreException("Cannot read or create the database password file " + file + ": " + describe(e), e);
        }
    }

    /**
     * Writes the passwords of a store that is still open back after its directory was deleted ({@link StoreWriteBack}),
     * so the written-back store opens with the passwords it has (and running workers keep logging in); a file that
     * exists is left as it is. {@code applicationPassword} is null for a database that is not served.
     */
    void restorePasswords(String password, String applicationPassword) throws StoreException {
        restoreSecret(PASSWORD_FILE, password);
        if (applicationPassword != null) {
            restoreSecret(APPLICATION_PASSWORD_FILE, applicationPassword);
        }
    }

    private void restoreSecret(String name, String value) throws StoreException {
        Path file = path.resolve(name);
        try {
            if (!Files.exists(file)) {
                OwnerOnly.createFile(file);
                Files.writeString(file, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            }
        } catch (IOException e) {
            throw new StoreException("Cannot write the database password file " + file + " back: " + describe(e), e);
        }
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " " + message;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
