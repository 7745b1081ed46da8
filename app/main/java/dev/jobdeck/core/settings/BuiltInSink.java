package dev.jobdeck.core.settings;

import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.SinkMailbox;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DamagedStoreFileException;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.core.store.SinkMailboxTable;
import dev.jobdeck.core.store.StoreException;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

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

    /** The running sink, its mailbox database, and what starting it took that the operator should know. */
    public record Running(LocalSmtpSink sink, Database mailbox, Optional<String> notice) {
    }

    /**
     * The built-in sink, recording into its own mailbox database (decision 15), which first takes over the messages
     * an older console recorded in the store. A damaged mailbox file is moved aside and an empty one started (the
     * sink's messages are a test server's, not the jobs). {@code closeLater} gets the mailbox, then the sink, as each
     * opens, so whatever opened is closed even when the rest fails.
     */
    public static Running startWithMailbox(DataDirectory directory, Database store, Settings settings, int port,
                                           int connections, Clock clock, Consumer<AutoCloseable> closeLater)
            throws StoreException, SQLException {
        Database mailboxDatabase;
        String notice = null;
        try {
            mailboxDatabase = Database.openSinkMailbox(directory, connections);
        } catch (DamagedStoreFileException e) {
            Path aside = directory.moveAside(e.file(), clock.instant());
            notice = "The built-in sink's mailbox file could not be read. It was moved aside to " + aside
                    + ", and the Mailbox started empty. Jobs and their history are in another file, not affected.";
            LOG.log(System.Logger.Level.WARNING, notice + " (" + e.getMessage() + ")");
            mailboxDatabase = Database.openSinkMailbox(directory, connections);
        }
        closeLater.accept(mailboxDatabase);
        SinkMailboxTable mailbox = new SinkMailboxTable(mailboxDatabase.dataSource(), mailboxDatabase.groupCommit());
        int moved = mailbox.adoptMessagesFrom(store.dataSource());
        if (moved > 0) {
            LOG.log(System.Logger.Level.INFO, "Moved {0} message(s) of the built-in sink into {1}", moved,
                    directory.sinkMailboxFile());
        }
        try {
            LocalSmtpSink started = start(settings, mailbox, port);
            closeLater.accept(started);
            return new Running(started, mailboxDatabase, Optional.ofNullable(notice));
        } catch (RuntimeException e) {
            throw new StoreException("Cannot start the built-in SMTP sink on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** Where the built-in sink listens: this process's own ({@code own}), or, in a worker, the console's at the port it recorded. */
    public static Supplier<Optional<SmtpSettings>> address(Optional<LocalSmtpSink> own, Settings settings) {
        return () -> {
            if (own.isPresent()) {
                return Optional.of(own.get().settings());
            }
            try {
                return rememberedPort(settings).map(port -> SmtpSettings.of("127.0.0.1", port));
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot read the built-in sink's port: " + e.getMessage());
                return Optional.empty();
            }
        };
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
