package dev.jobdeck.cli;

import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.JobDeckApp;
import dev.jobdeck.ui.fx.Screen;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The entry point: the console by default, headless sub-commands for scripts. It does not extend
 * {@code javafx.application.Application}, so the jar starts with JavaFX on the plain class path.
 */
@Command(name = "jobdeck", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Durable e-mail jobs on JobRunr and H2. With no command, opens the console.",
                "Exit codes: 1 invalid input (a command line that does not parse too); each command lists its others."},
        subcommands = {StatusCommand.class, WorkerCommand.class, SendCommand.class, ReportCommand.class, ServeCommand.class,
                ConfigCommand.class, JobsCommand.class, StoreCommand.class})
public final class Main implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $JOBDECK_HOME or ~/.jobdeck).")
    Path dataDir;

    @Option(names = "--open", paramLabel = "SCREEN", description = "Screen to open first: compose, jobs, hosts, mailbox, settings.")
    String openScreen;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Also copy the log to stderr (it always goes to logs/ in the data directory).")
    boolean verbose;

    @CommandLine.Mixin
    StoreOption store;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The exit code every command documents for invalid input; a command line that does not parse is that too. */
    static final int INVALID_INPUT = 1;

    /** Runs one command line; the process's log goes to the data directory's log file while it runs. */
    static int run(String... args) {
        try (LoggedRun logging = new LoggedRun()) {
            CommandLine command = commandLine(new Main()).setExecutionStrategy(logging)
                    .setExecutionExceptionHandler(logging).setParameterExceptionHandler(Main::usageError);
            return command.execute(args);
        }
    }

    /** JobDeck's command line as {@link #run} parses it. */
    static CommandLine commandLine(Main main) {
        CommandLine command = new CommandLine(main);
        // "--open jobs" names a screen, although "jobs" is also a command.
        command.setAllowSubcommandsAsOptionParameters(true);
        // A value such as -36h is a value to refuse with the setting's own sentence, not an unknown option.
        command.getSubcommands().get("config").getSubcommands().get("set").setUnmatchedOptionsArePositionalParams(true);
        return command;
    }

    /**
     * Picocli's own answer to a command line it cannot parse is its message, the whole usage text and exit 2, which
     * JobDeck's commands use for "no data directory": here it is one line, a suggestion for a mistyped name, a hint,
     * and exit 1 like any other invalid input.
     */
    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String message = String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + message);
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return INVALID_INPUT;
    }

    @Override
    public Integer call() {
        if (!displayAvailable()) {
            System.err.println("jobdeck: no display is available, so the console cannot open."
                    + " Headless commands: 'jobdeck serve' runs the console's services, 'jobdeck worker' runs jobs,"
                    + " 'jobdeck status --json' counts them, 'jobdeck config list' shows the settings (and 'jobdeck --help').");
            return 1;
        }
        DataDirectory directory = DataDirectory.resolve(Optional.ofNullable(dataDir), System.getenv(),
                Path.of(System.getProperty("user.home")));
        int chosen = store.choose("", directory, System.err);
        if (chosen != 0) {
            return chosen;
        }
        JobDeckApp.run(directory, Optional.ofNullable(openScreen).flatMap(Screen::named));
        return 0;
    }

    private static boolean displayAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase();
        if (!os.contains("linux") || "Monocle".equals(System.getProperty("glass.platform"))) {
            return true;
        }
        return System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
    }

    /** The version Maven wrote into {@code jobdeck.properties} at build time. */
    public static final class Version implements CommandLine.IVersionProvider {

        public static String current() {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/jobdeck.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                return "unknown";
            }
            return properties.getProperty("version", "unknown");
        }

        @Override
        public String[] getVersion() {
            return new String[] {"JobDeck " + current(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
