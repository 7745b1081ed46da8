package dev.jobdeck.cli;

import dev.jobdeck.core.settings.Configuration;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.Secrets.SecretsException;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.DirectoryLock;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.core.store.StoreCredentials;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jobdeck config list | get KEY | set KEY VALUE | set smtp.password --password-stdin}: every
 * setting of the Settings screen from a script. It opens the data directory the way {@code status}
 * does, so it runs while no console does; the console reads the settings when it starts.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Read and change JobDeck's settings (those of the Settings screen) from scripts.",
                "Run it while no console uses the data directory; the console reads the settings when it starts.",
                "Exit codes: 0 ok, 1 invalid key or value, 2 no data directory, 3 in use, 4 unreadable."},
        subcommands = {ConfigCommand.ListSettings.class, ConfigCommand.GetSetting.class, ConfigCommand.SetSetting.class})
final class ConfigCommand implements Callable<Integer> {

    static final int INVALID = 1;
    static final int NO_DATA = 2;
    static final int LOCKED = 3;
    static final int UNREADABLE = 4;

    @ParentCommand
    Main parent;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $JOBDECK_HOME or ~/.jobdeck).")
    Path dataDir;

    @Override
    public Integer call() {
        System.err.println("jobdeck config: say what to do: list, get KEY or set KEY VALUE (see 'jobdeck config --help').");
        return INVALID;
    }

    @FunctionalInterface
    interface Work {
        int run(Configuration configuration) throws SQLException, SecretsException;
    }

    /** Opens the store under the directory lock, runs {@code work}, and turns every failure into a sentence and an exit code. */
    int withConfiguration(Path subcommandDir, StoreOption store, boolean create, String verb, Work work) {
        PrintStream err = System.err;
        Optional<Path> option = Optional.ofNullable(subcommandDir).or(() -> Optional.ofNullable(dataDir))
                .or(() -> Optional.ofNullable(parent == null ? null : parent.dataDir));
        DataDirectory directory = DataDirectory.resolve(option, System.getenv(), Path.of(System.getProperty("user.home")));
        StoreOption.Chosen chosen;
        try {
            chosen = store.resolve(directory, System.in);
        } catch (StoreException e) {
            err.println("jobdeck config " + verb + ": " + e.getMessage() + " Nothing was changed.");
            return UNREADABLE;
        }
        boolean shared = chosen.location() instanceof StoreLocation.Postgres;
        if (!shared && !create && !directory.exists()) {
            err.println("jobdeck config " + verb + ": no JobDeck data in " + directory.path()
                    + " (the directory or its database does not exist). Pass --data-dir DIR or set JOBDECK_HOME.");
            return NO_DATA;
        }
        try {
            directory.prepareForWriting();
            try (DirectoryLock lock = DirectoryLock.acquire(directory, "command line (config)");
                 Database database = shared ? openShared(directory, chosen) : Database.open(directory, 2)) {
                Configuration configuration = new Configuration(new Settings(database.dataSource()),
                        Secrets.forDirectory(directory, System.getenv()));
                return work.run(configuration);
            }
        } catch (DataDirectoryLockedException e) {
            err.println("jobdeck config " + verb + ": " + e.getMessage()
                    + " Settings are read when the console starts: close it, run this again, then start it.");
            return LOCKED;
        } catch (IllegalArgumentException e) {
            err.println("jobdeck config " + verb + ": " + e.getMessage() + " Nothing was changed.");
            return INVALID;
        } catch (StoreException | SQLException | SecretsException e) {
            err.println("jobdeck config " + verb + ": " + e.getMessage());
            return UNREADABLE;
        }
    }

    private static Database openShared(DataDirectory directory, StoreOption.Chosen chosen) throws StoreException {
        StoreLocation.Postgres postgres = (StoreLocation.Postgres) chosen.location();
        StoreCredentials credentials = chosen.credentials().orElseThrow();
        return Database.openShared(directory, postgres.jdbcUrl(), credentials.user(), credentials.password().orElse(null), 2);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print every setting and its value (secrets only as set / not set).")
    static final class ListSettings implements Callable<Integer> {

        @ParentCommand
        ConfigCommand config;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $JOBDECK_HOME or ~/.jobdeck).")
        Path dataDir;

        @Option(names = "--describe", description = "Also print what each setting means.")
        boolean describe;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() {
            return config.withConfiguration(dataDir, store, false, "list", configuration -> {
                Map<String, String> all = configuration.list();
                int width = all.keySet().stream().mapToInt(String::length).max().orElse(0);
                for (Configuration.Key key : Configuration.KEYS) {
                    System.out.printf("%-" + width + "s = %s%n", key.name(), all.get(key.name()));
                    if (describe) {
                        System.out.printf("%-" + width + "s   # %s%n", "", key.description());
                    }
                }
                return 0;
            });
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print the value of one setting.")
    static final class GetSetting implements Callable<Integer> {

        @ParentCommand
        ConfigCommand config;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $JOBDECK_HOME or ~/.jobdeck).")
        Path dataDir;

        @Parameters(index = "0", paramLabel = "KEY", description = "A setting name, as 'jobdeck config list' prints it.")
        String key;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() {
            return config.withConfiguration(dataDir, store, false, "get", configuration -> {
                System.out.println(configuration.get(key));
                return 0;
            });
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Change one setting; it is checked as the Settings screen checks it, and nothing changes if it is refused.",
                    "Secrets (smtp.password) are read from standard input with --password-stdin; an empty line removes the password.",
                    "It uses the store the data directory remembers; choose another with --store on 'config list' first"
                            + " (here --password-stdin is the setting's secret, not the database's password)."})
    static final class SetSetting implements Callable<Integer> {

        @ParentCommand
        ConfigCommand config;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $JOBDECK_HOME or ~/.jobdeck).")
        Path dataDir;

        @Option(names = "--password-stdin", description = "Read the secret's value from the first line of standard input.")
        boolean passwordStdin;

        @Parameters(index = "0", paramLabel = "KEY", description = "A setting name, as 'jobdeck config list' prints it.")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", arity = "0..1", description = "The new value ('' to clear where allowed).")
        String value;

        @Override
        public Integer call() {
            Optional<Configuration.Key> known;
            try {
                // Checked before the data directory is opened, so a typo creates nothing.
                known = Optional.of(Configuration.requireKey(key));
            } catch (IllegalArgumentException e) {
                System.err.println("jobdeck config set: " + e.getMessage() + " Nothing was changed.");
                return INVALID;
            }
            if (known.get().secret() && !passwordStdin) {
                System.err.println("jobdeck config set: " + key + " is a secret: pass it on standard input with"
                        + " --password-stdin, so it stays out of shell history and the process list. Nothing was changed.");
                return INVALID;
            }
            if (passwordStdin && value != null) {
                System.err.println("jobdeck config set: give the value either on standard input (--password-stdin) or as"
                        + " an argument, not both. Nothing was changed.");
                return INVALID;
            }
            if (!passwordStdin && value == null) {
                System.err.println("jobdeck config set: a VALUE is required after " + key + ". Nothing was changed.");
                return INVALID;
            }
            String secret = null;
            if (passwordStdin) {
                if (!known.get().secret()) {
                    System.err.println("jobdeck config set: " + key + " is not a secret; give its value as an argument."
                            + " Nothing was changed.");
                    return INVALID;
                }
                try {
                    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    secret = line == null ? "" : line;
                } catch (IOException e) {
                    System.err.println("jobdeck config set: cannot read standard input: " + e.getMessage());
                    return INVALID;
                }
            }
            String fromStdin = secret;
            // No store options here (--password-stdin is the setting's secret): the remembered store, with its kept password.
            return config.withConfiguration(dataDir, new StoreOption(), true, "set", configuration -> {
                if (passwordStdin) {
                    configuration.setSecret(key, fromStdin);
                    System.out.println(fromStdin.isEmpty() ? key + " removed."
                            : key + " stored in " + configuration.secretsDescription() + ".");
                } else {
                    configuration.set(key, value);
                    System.out.println(key + " = " + configuration.get(key));
                }
                System.out.println("JobDeck uses it from its next start.");
                return 0;
            });
        }
    }
}
