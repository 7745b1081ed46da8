package dev.jobdeck.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;

/**
 * What reaches a terminal from the log when nothing else can take it: one line per event, the exception named
 * by its class and message, never its stack trace (no stack trace ever reaches a user's terminal).
 */
final class TerminalLayout extends LayoutBase<ILoggingEvent> {

    private final String prefix;

    TerminalLayout(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(prefix).append(": ");
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            line.append("error: ");
        } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            line.append("warning: ");
        }
        line.append(oneLine(event.getFormattedMessage()));
        IThrowableProxy cause = event.getThrowableProxy();
        if (cause != null) {
            String className = cause.getClassName();
            line.append(" (").append(className.substring(className.lastIndexOf('.') + 1));
            if (cause.getMessage() != null) {
                line.append(": ").append(oneLine(cause.getMessage()));
            }
            line.append(')');
        }
        return line.append(System.lineSeparator()).toString();
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).stripTrailing();
    }
}
