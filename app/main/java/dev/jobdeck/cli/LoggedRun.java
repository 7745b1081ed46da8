package dev.jobdeck.cli;

import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.logging.ProcessLog;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the command picocli parsed with this process's log set up first: as soon as the arguments name the data
 * directory (the deepest {@code --data-dir}, else {@code JOBDECK_HOME}, else {@code ~/.jobdeck}), the log goes to
 * that directory's log file, marked with the command and pid. Help and version requests touch no directory.
 * An exception no command caught becomes one sentence on the terminal, its stack trace in the log.
 */
final class LoggedRun implements CommandLine.IExecutionStrategy, CommandLine.IExecutionExceptionHandler, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LoggedRun.class.getName());

    private ProcessLog log;

    @Override
    public int execute(ParseResult parseResult) {
        List<ParseResult> chain = chain(parseResult);
        if (chain.stream().noneMatch(level -> level.isUsageHelpRequested() || level.isVersionHelpRequested())) {
            DataDirectory directory = directory(chain);
            String process = process(chain);
            log = ProcessLog.start(directory, process, chain.stream().anyMatch(level -> level.hasMatchedOption("--verbose")));
            LOG.log(System.Logger.Level.INFO, "JobDeck {0} started: {1} on Java {2}, data directory {3}",
                    Main.Version.current(), chain.get(chain.size() - 1).commandSpec().qualifiedName(),
                    System.getProperty("java.version"), directory.path());
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        String command = commandLine.getCommandSpec().qualifiedName();
        SaidOnTheTerminal.error(LoggedRun.class, command + " stopped on an unexpected error", failure);
        String message = failure.getMessage() == null ? "" : ": " + failure.getMessage().lines().findFirst().orElse("");
        commandLine.getErr().println(ProcessLog.withDetails(command + ": stopped on an unexpected error ("
                + failure.getClass().getSimpleName() + message + ")."));
        commandLine.getErr().flush();
        return commandLine.getCommandSpec().exitCodeOnExecutionException();
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    private static List<ParseResult> chain(ParseResult top) {
        List<ParseResult> chain = new ArrayList<>();
        for (ParseResult level = top; level != null; level = level.subcommand()) {
            chain.add(level);
        }
        return chain;
    }

    /** The data directory as the commands resolve it: the most specific {@code --data-dir} given wins. */
    private static DataDirectory directory(List<ParseResult> chain) {
        Optional<Path> option = Optional.empty();
        for (ParseResult level : chain) {
            Path given = level.matchedOptionValue("--data-dir", null);
            if (given != null) {
                option = Optional.of(given);
            }
        }
        return DataDirectory.resolve(option, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** What marks this process's lines in the log: {@code console, pid 12}, {@code worker w1, pid 34}, {@code config set, pid 56}. */
    private static String process(List<ParseResult> chain) {
        List<String> names = new ArrayList<>();
        for (ParseResult level : chain.subList(1, chain.size())) {
            names.add(level.commandSpec().name());
        }
        if (names.isEmpty()) {
            names.add("console");
        }
        String workerName = chain.get(chain.size() - 1).matchedOptionValue("--name", null);
        if ("worker".equals(names.get(0)) && workerName != null) {
            names.add(workerName);
        }
        return String.join(" ", names) + ", pid " + ProcessHandle.current().pid();
    }
}
