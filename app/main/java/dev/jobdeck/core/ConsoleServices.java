package dev.jobdeck.core;

import dev.jobdeck.core.jobs.EmailJob;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.EngineSettings;
import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.settings.BuiltInSink;
import dev.jobdeck.core.settings.OutgoingServer;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.DirectoryLock;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.core.store.SinkMailboxTable;
import dev.jobdeck.core.store.StoreException;
import org.jobrunr.server.JobActivator;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The composition root: builds every service of one JobDeck process once, in dependency order, and
 * closes them in reverse. The GUI, the CLI and the tests all start here; nothing else creates services.
 */
public final class ConsoleServices implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConsoleServices.class.getName());

    /**
     * What to start besides the store: the built-in SMTP sink (on {@code sinkPort}, or on the port it
     * had last time when 0) and the in-process host's settings.
     */
    public record Options(boolean startSink, int sinkPort, EngineSettings engine, Clock clock) {

        public static Options console() {
            return new Options(true, 0, EngineSettings.defaults("console"), Clock.systemDefaultZone());
        }

        public static Options storeOnly() {
            return new Options(false, 0, EngineSettings.defaults("cli"), Clock.systemDefaultZone());
        }
    }

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final DataDirectory directory;
    private final Database database;
    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final LocalSmtpSink sink;
    private final OutgoingServer outgoing;
    private final Mailer mailer;
    private final JobEngine engine;
    private final EmailQueue queue;
    private final JobQueries queries;
    private final JobCommands commands;

    private ConsoleServices(DataDirectory directory, Options options, String purpose) throws StoreException {
        this.directory = directory;
        try {
            directory.prepareForWriting();
            closeables.add(DirectoryLock.acquire(directory, purpose));
            database = Database.open(directory, options.engine().workers() + 8);
            closeables.add(database);
            outbox = new Outbox(database.dataSource());
            ledger = new DeliveryLedger(database.dataSource());
            Settings settings = new Settings(database.dataSource());
            sink = options.startSink() ? startSink(settings, options.sinkPort()) : null;
            outgoing = new OutgoingServer(settings, Secrets.forDirectory(directory, System.getenv()),
                    () -> sink == null ? Optional.empty() : Optional.of(sink.settings()));
            mailer = new Mailer();
            EmailJob emailJob = new EmailJob(outbox, ledger, mailer, outgoing::current, this::hostName, options.clock());
            engine = new JobEngine(database.dataSource(), activatorFor(emailJob), options.engine());
            closeables.add(engine);
            queue = new EmailQueue(outbox, engine.scheduler(), options.clock());
            queries = new JobQueries(database.dataSource(), engine.storage(), outbox, ledger);
            commands = new JobCommands(engine.storage(), engine.scheduler());
        } catch (SQLException e) {
            close();
            throw new StoreException("Cannot read JobDeck's settings from " + directory.path() + ": " + e.getMessage(), e);
        } catch (StoreException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens the data directory for a console or worker: takes its lock, opens the store, starts the sink. */
    public static ConsoleServices open(DataDirectory directory, Options options) throws StoreException {
        return new ConsoleServices(directory, options, options.startSink() ? "console" : "command line");
    }

    private LocalSmtpSink startSink(Settings settings, int port) throws StoreException, SQLException {
        try {
            LocalSmtpSink started = BuiltInSink.start(settings, new SinkMailboxTable(database.dataSource()), port);
            closeables.add(started);
            return started;
        } catch (RuntimeException e) {
            throw new StoreException("Cannot start the built-in SMTP sink on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    private static JobActivator activatorFor(EmailJob emailJob) {
        return new JobActivator() {
            @Override
            public <T> T activateJob(Class<T> type) {
                if (type.isInstance(emailJob)) {
                    return type.cast(emailJob);
                }
                throw new IllegalArgumentException("JobDeck runs no jobs of type " + type.getName());
            }
        };
    }

    /**
     * Starts the in-process host. Before it does, jobs that a previous process left in Processing (it
     * crashed or was killed) and outbox rows whose jobs were never created are put back in the queue:
     * this process holds the directory lock, so no other host can still be running them.
     */
    public void startHost() throws StoreException {
        Set<java.util.UUID> live = engine.liveServerIds();
        int orphans = engine.requeueProcessingJobs(id -> !live.contains(id),
                "The host running this job stopped before it finished (found when JobDeck started)");
        try {
            int unqueued = queue.recoverUnqueued();
            if (orphans + unqueued > 0) {
                LOG.log(System.Logger.Level.INFO, "Recovered {0} interrupted job(s) and {1} e-mail(s) without a job",
                        orphans, unqueued);
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot check the outbox for e-mails left by a crash: " + e.getMessage(), e);
        }
        engine.startServer();
    }

    public String hostName() {
        return engine.hostName();
    }

    public DataDirectory directory() {
        return directory;
    }

    public Database database() {
        return database;
    }

    public Outbox outbox() {
        return outbox;
    }

    public DeliveryLedger ledger() {
        return ledger;
    }

    public Optional<LocalSmtpSink> sink() {
        return Optional.ofNullable(sink);
    }

    public OutgoingServer outgoing() {
        return outgoing;
    }

    public Mailer mailer() {
        return mailer;
    }

    public JobEngine engine() {
        return engine;
    }

    public EmailQueue queue() {
        return queue;
    }

    public JobQueries queries() {
        return queries;
    }

    public JobCommands commands() {
        return commands;
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Closing " + closeables.get(i) + " failed", e);
            }
        }
        closeables.clear();
    }
}
