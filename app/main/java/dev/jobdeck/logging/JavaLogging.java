package dev.jobdeck.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Libraries that log through {@code java.util.logging} (Angus Mail) reach the same place as everything else:
 * JUL's own console handler is removed and its records go to SLF4J. Logback's levels are copied to JUL's loggers,
 * so a record no one would write is dropped before JUL builds it. ({@code System.Logger}, which JobDeck's code and
 * JavaFX use, reaches SLF4J without JUL: {@code slf4j-jdk-platform-logging} is its {@code LoggerFinder}.)
 */
final class JavaLogging {

    private JavaLogging() {
    }

    static void routeToSlf4j(LoggerContext context) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        propagator.start();
        context.addListener(propagator);
    }
}
