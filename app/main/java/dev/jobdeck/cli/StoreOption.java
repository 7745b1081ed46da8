package dev.jobdeck.cli;

import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreCredentials;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocationRefusedException;
import dev.jobdeck.core.store.StoreLocations;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code --store URL}, {@code --db-user NAME} and {@code --password-stdin}: where a data directory's store lives and
 * who logs in to it (issue 17). The location is remembered by the data directory, so it is given once; the password
 * comes from standard input or the OS keyring (or the encrypted secrets file), never from the command line.
 * Bad input is a picocli parameter error: one sentence, a {@code --help} hint, exit 1, and nothing written.
 */
final class StoreOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private StoreLocation store;
    private String dbUser;

    @Option(names = "--password-stdin",
            description = "Read the database password from the first line of standard input and keep it in the OS keyring"
                    + " (or the encrypted secrets file), so later starts need no standard input.")
    boolean passwordStdin;

    @Option(names = "--store", paramLabel = "URL", description = {"Where the store lives: h2 (the embedded store,"
            + " the default) or postgresql://[user@]host[:port]/database[?sslmode=disable|prefer|require|verify-full]"
            + " (TLS when the server offers it unless sslmode says otherwise).",
            "Remembered by the data directory; never put a password in it."})
    void store(String url) {
        try {
            store = StoreLocation.parse(url);
        } catch (IllegalArgumentException e) {
            // The message is StoreLocation's own sentence, which never repeats a password (picocli's would repeat the value).
            throw new ParameterException(command.commandLine(), "Invalid value for option '--store': " + e.getMessage());
        }
    }

    @Option(names = "--db-user", paramLabel = "NAME",
            description = "The database user, if the URL names none (default: the one remembered, else your OS user name).")
    void dbUser(String name) {
        try {
            StoreLocation.Postgres.checkUser(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "Invalid value for option '--db-user': " + e.getMessage());
        }
        dbUser = name;
    }

    /** The store a command uses, and for PostgreSQL who logs in. */
    record Chosen(StoreLocation location, Optional<StoreCredentials> credentials) {
    }

    /**
     * The store of {@code directory}: the one {@code --store} names (remembered from now on), else the one the
     * directory remembers, else the embedded one. A password read with {@code --password-stdin} is saved in the
     * directory's secrets. Refusals are {@link ParameterException}s and write nothing; a directory or keyring that
     * cannot be read or written is a {@link StoreException}.
     */
    Chosen resolve(DataDirectory directory, InputStream standardInput) throws StoreException {
        return resolve(directory, standardInput,
                dir -> new StorePasswordVault(Secrets.forDirectory(dir, System.getenv())), System.getProperty("user.name"));
    }

    Chosen resolve(DataDirectory directory, InputStream standardInput,
                   Function<DataDirectory, StoreCredentials.Vault> vaults, String osUser) throws StoreException {
        Optional<String> flagUser = Optional.ofNullable(dbUser);
        StoreLocation location = store != null ? store : StoreLocations.read(directory);
        if (location instanceof StoreLocation.Postgres postgres && flagUser.isPresent()) {
            if (postgres.user().isPresent() && !postgres.user().equals(flagUser) && store != null) {
                throw refused("The store URL names the user '" + postgres.user().get() + "' and --db-user '"
                        + flagUser.get() + "'; give the user once.");
            }
            location = postgres.withUser(flagUser);
        }
        if (location instanceof StoreLocation.Embedded && (flagUser.isPresent() || passwordStdin)) {
            throw refused((flagUser.isPresent() ? "--db-user" : "--password-stdin") + " is for a PostgreSQL store, and "
                    + (store != null ? "--store names" : "the data directory " + directory.path() + " keeps its jobs in")
                    + " the embedded H2 store, whose password JobDeck generates; give --store postgresql://… for a shared store.");
        }
        // Read before anything is written, so an empty standard input changes nothing.
        Optional<String> password = passwordStdin ? Optional.of(readPassword(standardInput)) : Optional.empty();
        if (store != null || flagUser.isPresent()) {
            try {
                location = StoreLocations.remember(directory, location);
            } catch (StoreLocationRefusedException e) {
                throw refused(e.getMessage() + " Nothing was changed.");
            }
        }
        if (location instanceof StoreLocation.Postgres postgres) {
            if (password.isPresent()) {
                // A secrets file in a directory another account owns could be swapped: the same check as an open.
                directory.prepareForWriting();
            }
            return new Chosen(postgres, Optional.of(StoreCredentials.resolve(postgres, password, vaults.apply(directory), osUser)));
        }
        return new Chosen(location, Optional.empty());
    }

    /**
     * {@link #resolve} as a command calls it, before it opens the store: 0, or (a directory or keyring that cannot be
     * read or written) the exit code after one sentence on {@code err}. Refusals stay parameter exceptions.
     */
    int choose(String command, DataDirectory directory, java.io.PrintStream err) {
        try {
            resolve(directory, System.in);
            return 0;
        } catch (StoreException e) {
            err.println("jobdeck" + (command.isEmpty() ? "" : " " + command) + ": " + e.getMessage() + " Nothing was changed.");
            return ScriptStore.UNREADABLE;
        }
    }

    private String readPassword(InputStream standardInput) {
        String line;
        try {
            // Not closed: standard input belongs to the process.
            line = new BufferedReader(new InputStreamReader(standardInput, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw refused("--password-stdin could not read standard input (" + e.getClass().getSimpleName() + ").");
        }
        if (line == null || line.isEmpty()) {
            throw refused("--password-stdin found no password on standard input (pipe it in: printf '%s\\n' \"$PW\" | jobdeck …).");
        }
        return line;
    }

    private ParameterException refused(String sentence) {
        return new ParameterException(command.commandLine(), sentence);
    }
}
