package dev.jobdeck.cli;

import dev.jobdeck.logging.ProcessLog;
import org.slf4j.LoggerFactory;

/**
 * Logs an error sentence a command prints on the terminal itself, with its cause's stack trace, marked so that a log
 * that falls back to the terminal does not print it a second time.
 */
final class SaidOnTheTerminal {

    private SaidOnTheTerminal() {
    }

    static void error(Class<?> source, String sentence, Throwable cause) {
        LoggerFactory.getLogger(source).error(ProcessLog.SAID_ON_THE_TERMINAL, sentence, cause);
    }
}
