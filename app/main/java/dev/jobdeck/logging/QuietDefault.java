package dev.jobdeck.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * How logging starts in every JVM, before the data directory (and so the log file) is known: real errors reach
 * stderr as one line each, nothing else does. Logback finds this class through {@code META-INF/services}, so
 * neither a library's start-up chatter nor Logback's own defaults (everything at DEBUG on the console) ever reach
 * the terminal. {@link ProcessLog} replaces it once the data directory is known. A
 * {@code -Dlogback.configurationFile=...} given by whoever debugs JobDeck takes precedence over both.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class QuietDefault extends ContextAwareBase implements Configurator {

    static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (chosenByHand()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether someone configured Logback with a file of their own; JobDeck then leaves logging alone. */
    static boolean chosenByHand() {
        return System.getProperty(CONFIGURATION_FILE_PROPERTY) != null;
    }

    /** Errors only, one line each, to stderr. */
    static void apply(LoggerContext context) {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.ERROR);
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(terminal(context, "terminal", Level.ERROR));
        JavaLogging.routeToSlf4j(context);
    }

    /** Events at {@code threshold} or above, one line each, to whatever {@code System.err} is at the time. */
    static ConsoleAppender<ILoggingEvent> terminal(LoggerContext context, String name, Level threshold) {
        TerminalLayout layout = new TerminalLayout("jobdeck");
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ThresholdFilter filter = new ThresholdFilter();
        filter.setLevel(threshold.levelStr);
        filter.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.addFilter(filter);
        appender.start();
        return appender;
    }
}
