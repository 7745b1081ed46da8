package dev.jobdeck.core.settings;

import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.SinkMailbox;
import dev.jobdeck.core.store.Settings;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Starts the built-in SMTP sink on the port it had last time, so scripts, mail clients and saved
 * settings that point at it keep working across restarts. The port is kept in {@code jd_setting}
 * ({@value #PORT_KEY}); when it is taken by another program, a new free port is chosen and remembered.
 */
public final class BuiltInSink {

    public static final String PORT_KEY = "sink.port";
    private static final System.Logger LOG = System.getLogger(BuiltInSink.class.getName());

    private BuiltInSink() {
    }

    /**
     * @param requestedPort a fixed port (e.g. from a test), or 0 for the remembered one
     */
    public static LocalSmtpSink start(Settings settings, SinkMailbox mailbox, int requestedPort) throws SQLException {
        if (requestedPort != 0) {
            return new LocalSmtpSink(requestedPort, mailbox).start();
        }
        Optional<Integer> remembered = rememberedPort(settings);
        LocalSmtpSink sink = null;
        if (remembered.isPresent()) {
            if (LocalSmtpSink.isFree(remembered.get())) {
                try {
                    sink = new LocalSmtpSink(remembered.get(), mailbox).start();
                } catch (IllegalStateException e) {
                    // Taken between the check and the bind: fall back to a new port below.
                    LOG.log(System.Logger.Level.INFO, "Built-in SMTP sink port {0} is taken; choosing another", remembered.get());
                }
            } else {
                LOG.log(System.Logger.Level.WARNING, "Built-in SMTP sink port {0} is in use by another program; choosing another",
                        remembered.get());
            }
        }
        if (sink == null) {
            sink = new LocalSmtpSink(0, mailbox).start();
        }
        if (remembered.isEmpty() || remembered.get() != sink.port()) {
            settings.put(PORT_KEY, Integer.toString(sink.port()));
        }
        return sink;
    }

    /** The port remembered from the last start (or set with {@code jobdeck config set sink.port}). */
    public static Optional<Integer> rememberedPort(Settings settings) throws SQLException {
        Optional<String> stored = settings.get(PORT_KEY);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(stored.get().strip());
            return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
