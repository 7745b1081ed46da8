package dev.jobdeck.cli;

import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreCredentials;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jobdeck store show | password}: where the data directory's store lives (the embedded H2 store or a PostgreSQL
 * database, issue 17) and the PostgreSQL password kept for it. Neither opens the database.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Where the data directory's store lives: the embedded H2 store or a PostgreSQL database.",
                "Exit codes: 0 ok, 1 invalid input, 2 no data directory, 4 unreadable."},
        subcommands = {StoreCommand.Show.class, StoreCommand.Password.class})
final class StoreCommand implements Callable<Integer> {

    static final int NO_DATA = 2;
    static final int UNREADABLE = 4;

    @ParentCommand
    Main parent;

    @Spec
    CommandSpec spec;

    /** Also before the sub-command ({@code jobdeck store --data-dir DIR show}); the sub-command's own wins. */
    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: show or password");
    }

    DataDirectory directory(DataDirOption own) {
        return ScriptStore.directory(own.dataDir != null ? own.dataDir : dataDir.dataDir, parent);
    }

    static StoreCredentials.Vault vault(DataDirectory directory) {
        return new StorePasswordVault(Secrets.forDirectory(directory, System.getenv()));
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print where the store lives and, for PostgreSQL, who logs in and where the password is kept.")
    static final class Show implements Callable<Integer> {

        @ParentCommand
        StoreCommand group;

        @Mixin
        DataDirOption dataDir;

        @Override
        public Integer call() {
            DataDirectory directory = group.directory(dataDir);
            try {
                StoreLocation location = StoreLocations.read(directory);
                if (location instanceof StoreLocation.Postgres postgres) {
                    StoreLocation.Postgres shown = postgres.withUser(
                            Optional.of(postgres.user().orElse(System.getProperty("user.name"))));
                    StoreCredentials.Vault vault = vault(directory);
                    System.out.println("PostgreSQL " + shown.display() + " (TLS: " + postgres.tls().word() + "), password "
                            + (vault.read().isPresent() ? "in " + vault.describe() : "not set"));
                    return 0;
                }
                if (!Files.exists(directory.databaseFile())) {
                    System.err.println("jobdeck store show: no JobDeck data in " + directory.path() + " (the directory or its"
                            + " database does not exist). Pass --data-dir DIR or set JOBDECK_HOME.");
                    return NO_DATA;
                }
                System.out.println("embedded H2 at " + directory.databaseFile());
                return 0;
            } catch (StoreException e) {
                System.err.println("jobdeck store show: " + e.getMessage());
                return UNREADABLE;
            }
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true,
            description = {"Keep the PostgreSQL store's password: read from the first line of standard input (asked for,"
                    + " without echo, at a terminal) and saved in the OS keyring (or the encrypted secrets file);"
                    + " an empty line removes it.",
                    "The data directory must use a PostgreSQL store (--store postgresql://… on a command that opens it)."})
    static final class Password implements Callable<Integer> {

        @ParentCommand
        StoreCommand group;

        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption dataDir;

        @Override
        public Integer call() {
            DataDirectory directory = group.directory(dataDir);
            StoreLocation location;
            try {
                location = StoreLocations.read(directory);
            } catch (StoreException e) {
                System.err.println("jobdeck store password: " + e.getMessage());
                return UNREADABLE;
            }
            if (!(location instanceof StoreLocation.Postgres) && !Files.exists(directory.databaseFile())) {
                System.err.println("jobdeck store password: no JobDeck data in " + directory.path() + " (it remembers no"
                        + " PostgreSQL store and has no embedded one). Pass --data-dir DIR or set JOBDECK_HOME.");
                return NO_DATA;
            }
            if (!(location instanceof StoreLocation.Postgres postgres)) {
                throw new ParameterException(spec.commandLine(), "The data directory " + directory.path() + " keeps its"
                        + " jobs in the embedded H2 store, whose password JobDeck generates; a password is kept only for a"
                        + " PostgreSQL store (--store postgresql://…). Nothing was changed.");
            }
            String line;
            try {
                Console terminal = System.console();
                if (terminal != null) {
                    // Typed at a terminal: not echoed.
                    char[] typed = terminal.readPassword("Password of %s: ", postgres.display());
                    line = typed == null ? null : new String(typed);
                } else {
                    // Piped. Not closed: standard input belongs to the process.
                    line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                }
            } catch (IOException | java.io.IOError e) {
                System.err.println("jobdeck store password: cannot read standard input (" + e.getClass().getSimpleName()
                        + "). Nothing was changed.");
                return Main.INVALID_INPUT;
            }
            if (line == null) {
                throw new ParameterException(spec.commandLine(), "Standard input held no line; pipe the password in:"
                        + " printf '%s\\n' \"$PW\" | jobdeck store password. Nothing was changed.");
            }
            try {
                // A secrets file in a directory another account owns could be swapped: the same check as an open.
                directory.prepareForWriting();
                StoreCredentials.Vault vault = vault(directory);
                if (line.isEmpty()) {
                    vault.delete();
                    System.out.println("The password of " + postgres.display() + " was removed.");
                } else {
                    vault.save(line);
                    System.out.println("The password of " + postgres.display() + " is kept in " + vault.describe() + ".");
                }
            } catch (StoreException e) {
                System.err.println("jobdeck store password: " + e.getMessage());
                return UNREADABLE;
            }
            return 0;
        }
    }
}
