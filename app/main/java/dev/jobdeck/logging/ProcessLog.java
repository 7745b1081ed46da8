package dev.jobdeck.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.helpers.NOPAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.FileSize;
import dev.jobdeck.core.store.DataDirectory;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The log of one process: every line of it, from JobDeck's code ({@code System.Logger}), JobRunr, HikariCP, H2,
 * Angus Mail and GreenMail, goes to the one rotating log of its data directory, {@code logs/jobdeck-DATE.N.log},
 * which every process of that directory (console, {@code serve}, workers, scripts) writes at once. Each line names
 * its process ({@code [worker w1, pid 4242]}). The terminal gets nothing from it unless {@code verbose} asks for a
 * copy; a log that cannot be written falls back to warnings and errors on the terminal, said once
 * (docs/decisions/0018-one-log-file-per-data-directory.md).
 */
public final class ProcessLog implements AutoCloseable {

    /**
     * Marks an event whose message the process has printed on the terminal itself (a command's one-sentence error):
     * when the log falls back to the terminal, it is not printed twice.
     */
    public static final Marker SAID_ON_THE_TERMINAL = MarkerFactory.getMarker("SAID_ON_THE_TERMINAL");

    static final String PROCESS_PROPERTY = "jobdeck.process";
    private static final String APPENDER_NAME = "file";
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%property{" + PROCESS_PROPERTY + "}] %logger{36}"
            + " [%thread] %msg%n";
    /** Several JVMs append to the same file; each line is written under a file lock (Logback's prudent mode). */
    static final String FILE_PATTERN = "jobdeck-%d{yyyy-MM-dd}.%i.log";
    static final FileSize MAX_FILE_SIZE = FileSize.valueOf("10MB");
    static final FileSize TOTAL_SIZE_CAP = FileSize.valueOf("100MB");
    static final int DAYS_KEPT = 14;

    private final LoggerContext context;
    private final Thread.UncaughtExceptionHandler previousHandler;

    private ProcessLog(LoggerContext context, Thread.UncaughtExceptionHandler previousHandler) {
        this.context = context;
        this.previousHandler = previousHandler;
    }

    /**
     * Sends this process's log to {@code directory}'s log file from now on (once the directory holds a store), each
     * line marked with {@code process} (a role and the pid). {@code verbose} copies every line to stderr as well.
     * Uncaught exceptions of every thread are logged. A Logback configuration given by hand
     * ({@code -Dlogback.configurationFile}) is left as it is.
     */
    public static ProcessLog start(DataDirectory directory, String process, boolean verbose) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context) || QuietDefault.chosenByHand()) {
            return new ProcessLog(null, Thread.getDefaultUncaughtExceptionHandler());
        }
        context.reset();
        context.putProperty(PROCESS_PROPERTY, process);
        JavaLogging.routeToSlf4j(context);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        // H2 writes every SQL statement at its INFO level; its errors (a full disk, a damaged file) are what the log wants.
        context.getLogger("h2database").setLevel(Level.WARN);
        UntilTheStoreExists file = new UntilTheStoreExists(directory::holdsStore, () -> openFile(context, directory, verbose));
        file.setContext(context);
        file.setName(APPENDER_NAME);
        file.start();
        root.addAppender(file);
        if (verbose) {
            root.addAppender(echo(context));
        }
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> LoggerFactory.getLogger(ProcessLog.class)
                .error("Uncaught exception in thread {}", thread.getName(), failure));
        return new ProcessLog(context, previous);
    }

    /** The log folder of {@code directory}. */
    static Path folder(DataDirectory directory) {
        return directory.path().resolve("logs");
    }

    /**
     * {@code sentence}, followed by "Details in FILE." when this process's log goes to a file: for an error printed on
     * the terminal whose details (a stack trace) were just logged. Reads Logback's configuration, so any code can
     * point to the log.
     */
    public static String withDetails(String sentence) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return sentence;
        }
        Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER_NAME);
        Optional<Path> file = fileOf(appender instanceof UntilTheStoreExists front ? front : null);
        if (file.isEmpty()) {
            return sentence;
        }
        String ended = sentence.stripTrailing();
        return ended + (ended.endsWith(".") || ended.endsWith("?") ? "" : ".") + " Details in " + file.get() + ".";
    }

    private static Optional<Path> fileOf(UntilTheStoreExists front) {
        if (front != null && front.target() instanceof OwnerOnlyFileAppender appender && appender.isStarted()) {
            return Optional.of(Path.of(appender.getFile()));
        }
        return Optional.empty();
    }

    /** Back to the quiet start-up logging (errors only, to stderr): for a command run inside another program. */
    @Override
    public void close() {
        if (context == null) {
            return;
        }
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        context.reset();
        QuietDefault.apply(context);
    }

    private static Appender<ILoggingEvent> openFile(LoggerContext context, DataDirectory directory, boolean verbose) {
        Path folder = folder(directory);
        if (folder.toString().contains("%")) {
            return fallback(context, folder, "its path holds a % sign, which the log's file name pattern cannot take", verbose);
        }
        OwnerOnlyFileAppender appender = new OwnerOnlyFileAppender();
        appender.setContext(context);
        appender.setName("jobdeck-log");
        appender.setPrudent(true);
        appender.setEncoder(encoder(context));
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(folder.resolve(FILE_PATTERN).toString());
        policy.setMaxFileSize(MAX_FILE_SIZE);
        policy.setMaxHistory(DAYS_KEPT);
        policy.setTotalSizeCap(TOTAL_SIZE_CAP);
        // Scripts never live to see a rollover: every process removes what is past the limits when it starts.
        policy.setCleanHistoryOnStart(true);
        try {
            // Before Logback scans the folder for today's files: it must exist, owner-only.
            OwnerOnlyFileAppender.ownerOnlyFolder(folder);
            policy.start();
            appender.setRollingPolicy(policy);
            Path active = Path.of(appender.getFile());
            OwnerOnlyFileAppender.ownerOnlyFile(active);
            if (!Files.isWritable(active)) {
                return fallback(context, folder, "permission denied", verbose);
            }
        } catch (IOException e) {
            return fallback(context, folder, describe(e), verbose);
        }
        appender.start();
        if (!appender.isStarted()) {
            return fallback(context, folder, "the log file cannot be opened", verbose);
        }
        return appender;
    }

    /** Warnings and errors to the terminal, said once; with {@code --verbose} the terminal has every line already. */
    private static Appender<ILoggingEvent> fallback(LoggerContext context, Path folder, String reason, boolean verbose) {
        PrintStream err = System.err;
        err.println("jobdeck: cannot write the log in " + folder + " (" + reason + "); "
                + (verbose ? "it goes to this terminal only." : "its warnings and errors go to this terminal instead."));
        err.flush();
        if (verbose) {
            NOPAppender<ILoggingEvent> none = new NOPAppender<>();
            none.setContext(context);
            none.start();
            return none;
        }
        ConsoleAppender<ILoggingEvent> terminal = QuietDefault.terminal(context, "terminal", Level.WARN);
        terminal.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return event.getMarkerList() != null && event.getMarkerList().contains(SAID_ON_THE_TERMINAL)
                        ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        });
        return terminal;
    }

    private static ConsoleAppender<ILoggingEvent> echo(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("verbose");
        appender.setTarget("System.err");
        appender.setEncoder(encoder(context));
        appender.start();
        return appender;
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
