package dev.jobdeck.cli;

import dev.jobdeck.core.jobs.StoreMove;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.StoreCredentials;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocationRefusedException;
import dev.jobdeck.core.store.StoreLocations;
import dev.jobdeck.core.store.TableCopy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jobdeck store show | password}: where the data directory's store lives (the embedded H2 store or a PostgreSQL
 * database, issue 17) and the PostgreSQL password kept for it. Neither opens the database.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Where the data directory's store lives: the embedded H2 store or a PostgreSQL database.",
                "Exit codes: 0 ok, 1 invalid input, 2 no data directory, 3 in use, 4 unreadable or unreachable,"
                        + " 6 moved counts differ."},
        subcommands = {StoreCommand.Show.class, StoreCommand.Password.class, StoreCommand.Move.class})
final class StoreCommand implements Callable<Integer> {

    static final int NO_DATA = 2;
    static final int LOCKED = 3;
    static final int UNREADABLE = 4;
    static final int COUNTS_DIFFER = 6;

    @ParentCommand
    Main parent;

    @Spec
    CommandSpec spec;

    /** Also before the sub-command ({@code jobdeck store --data-dir DIR show}); the sub-command's own wins. */
    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: show, password or move");
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

    @Command(name = "move", mixinStandardHelpOptions = true,
            description = {"Copy the data directory's embedded H2 store (jobs in every state, recurring jobs, the outbox,"
                    + " the ledger, templates and settings) into an empty PostgreSQL database, check that every count"
                    + " agrees, and from then on keep the directory's jobs there. The H2 file is left as it was.",
                    "Stop the console (and its workers) first. A job that was Processing goes over as Enqueued and runs"
                    + " again."})
    static final class Move implements Callable<Integer> {

        /** How often a long copy says how far it got. */
        static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

        @ParentCommand
        StoreCommand group;

        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption dataDir;

        private StoreLocation.Postgres to;
        private String dbUser;

        @Option(names = "--to", required = true, paramLabel = "URL",
                description = "The empty PostgreSQL database: postgresql://[user@]host[:port]/database[?sslmode=…].")
        void to(String url) {
            StoreLocation location;
            try {
                location = StoreLocation.parse(url);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--to': " + e.getMessage());
            }
            if (!(location instanceof StoreLocation.Postgres postgres)) {
                throw new ParameterException(spec.commandLine(), "--to names the embedded H2 store; a move goes from it"
                        + " to PostgreSQL: --to postgresql://host/database.");
            }
            to = postgres;
        }

        @Option(names = "--db-user", paramLabel = "NAME",
                description = "The database user, if the URL names none (default: your OS user name).")
        void dbUser(String name) {
            try {
                StoreLocation.Postgres.checkUser(name);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--db-user': " + e.getMessage());
            }
            dbUser = name;
        }

        @Option(names = "--password-stdin", description = "Read the database password from the first line of standard"
                + " input; kept in the OS keyring (or the encrypted secrets file) once the move succeeded.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            DataDirectory directory = group.directory(dataDir);
            if (dbUser != null && to.user().isPresent() && !to.user().get().equals(dbUser)) {
                throw new ParameterException(spec.commandLine(), "The URL names the user '" + to.user().get()
                        + "' and --db-user '" + dbUser + "'; give the user once.");
            }
            StoreLocation.Postgres target = dbUser != null ? to.withUser(Optional.of(dbUser)) : to;
            String user = target.user().orElse(System.getProperty("user.name"));
            String password;
            StoreCredentials.Vault vault = vault(directory);
            try {
                password = passwordStdin ? readPassword() : vault.read().orElse(null);
            } catch (StoreException e) {
                System.err.println("jobdeck store move: " + e.getMessage() + " Nothing was changed.");
                return UNREADABLE;
            }
            Progress progress = new Progress();
            Thread interrupted = new Thread(() -> {
                if (progress.copying) {
                    System.err.println("jobdeck store move: interrupted while copying. "
                            + StoreMove.retryAdvice(target, user));
                }
            }, "jobdeck-store-move-interrupted");
            Runtime.getRuntime().addShutdownHook(interrupted);
            StoreMove.Result result;
            try {
                System.out.println("Moving the embedded H2 store of " + directory.path() + " to PostgreSQL "
                        + target.display() + " …");
                progress.copying = true;
                result = StoreMove.run(directory, target, user, password, progress);
            } catch (StoreLocationRefusedException e) {
                System.err.println("jobdeck store move: " + e.getMessage() + " Nothing was changed.");
                return e.getMessage().contains("has no embedded H2 store") ? NO_DATA : Main.INVALID_INPUT;
            } catch (DataDirectoryLockedException e) {
                System.err.println("jobdeck store move: " + e.getMessage());
                return LOCKED;
            } catch (StoreException e) {
                SaidOnTheTerminal.error(StoreCommand.class, "jobdeck store move: " + e.getMessage(), e);
                System.err.println("jobdeck store move: " + e.getMessage());
                return UNREADABLE;
            } finally {
                progress.copying = false;
                Runtime.getRuntime().removeShutdownHook(interrupted);
            }
            int width = result.counts().stream().mapToInt(count -> count.what().length()).max().orElse(5);
            System.out.printf("%-" + width + "s %10s %10s%n", "", "H2", "PostgreSQL");
            for (StoreMove.Count count : result.counts()) {
                System.out.printf("%-" + width + "s %10d %10d%s%n", count.what(), count.source(), count.target(),
                        count.equal() ? "" : "  differs");
            }
            if (!result.verified()) {
                System.err.println("jobdeck store move: the counts above differ, so the data directory still keeps its"
                        + " jobs in the embedded H2 store. " + StoreMove.retryAdvice(target, user));
                return COUNTS_DIFFER;
            }
            if (result.requeued() > 0) {
                System.out.println(result.requeued() + " job(s) were Processing when the store stopped: they were moved"
                        + " as Enqueued and run again.");
            }
            if (passwordStdin) {
                try {
                    vault.save(password);
                } catch (StoreException e) {
                    System.err.println("jobdeck store move: the store was moved, but its password could not be kept: "
                            + e.getMessage() + " Keep it with `jobdeck store password`.");
                }
            }
            System.out.println("Moved: the data directory " + directory.path() + " keeps its jobs in PostgreSQL "
                    + target.display() + " from now on; the H2 file " + directory.databaseFile() + " was left as it was.");
            return 0;
        }

        private String readPassword() {
            String line;
            try {
                // Not closed: standard input belongs to the process.
                line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--password-stdin could not read standard input ("
                        + e.getClass().getSimpleName() + ").");
            }
            if (line == null || line.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--password-stdin found no password on standard input"
                        + " (pipe it in: printf '%s\\n' \"$PW\" | jobdeck store move …).");
            }
            return line;
        }

        /** Says, at most every {@link #PROGRESS_EVERY}, which table is being copied and how many rows are in. */
        static final class Progress implements TableCopy.Progress {

            volatile boolean copying;
            private long lastSaid = System.nanoTime();

            @Override
            public void copied(String table, long rows) {
                long now = System.nanoTime();
                if (now - lastSaid >= PROGRESS_EVERY.toNanos()) {
                    lastSaid = now;
                    System.out.println("  copying " + table + ": " + rows + " rows");
                }
            }
        }
    }
}
