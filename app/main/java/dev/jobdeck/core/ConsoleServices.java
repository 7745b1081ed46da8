package dev.jobdeck.core;

import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.hosts.WorkerLauncher;
import dev.jobdeck.core.jobs.DeliveryRetryFilter;
import dev.jobdeck.core.jobs.EmailJob;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.EngineSettings;
import dev.jobdeck.core.jobs.FollowUpJobs;
import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.QueueWatch;
import dev.jobdeck.core.jobs.RetryPolicy;
import dev.jobdeck.core.jobs.SurvivalReports;
import dev.jobdeck.core.jobs.TestSend;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.MailStreams;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.SmtpConnectionPool;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.BuiltInSink;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.settings.OutgoingServer;
import dev.jobdeck.core.settings.Refreshed;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.store.DamagedStoreFileException;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.LedgerJournal;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.DirectoryLock;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.IncidentLog;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.SendLimitTables;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.core.store.SinkMailboxTable;
import dev.jobdeck.core.store.StoreEndpoint;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreServer;
import dev.jobdeck.core.store.TemplateTable;
import dev.jobdeck.core.store.UnqueuedBatches;
import dev.jobdeck.core.store.WakeSignal;
import dev.jobdeck.core.templates.TemplateLibrary;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The composition root: builds every service of one JobDeck process once, in dependency order, and
 * closes them in reverse. The GUI, the worker, the CLI and the tests all start here; nothing else creates
 * services.
 *
 * <p>Three roles share one store. The <b>console</b> owns it: it takes the directory lock, opens the H2 file
 * in-process, serves it on 127.0.0.1 to the others, runs the built-in SMTP sink and its own host, and
 * supervises worker processes. A <b>worker</b> connects to the console's store and runs a JobRunr server.
 * A <b>script</b> ({@code status}, {@code send}) connects to a running console's store, or, when no console
 * runs, opens the store itself for the moment it needs it.
 */
public final class ConsoleServices implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConsoleServices.class.getName());
    /** Connections idle this long are closed (servers close idle ones after a minute or more). */
    private static final Duration IDLE_CONNECTION = Duration.ofSeconds(15);
    /** How often each process re-reads the delivery settings, so a limit changed anywhere applies on every host. */
    private static final Duration DELIVERY_REFRESH = Duration.ofSeconds(5);
    /** How often bulk jobs' journaled ledger entries are folded into the store: the dashboard lags by about this. */
    private static final Duration JOURNAL_FOLD = Duration.ofMillis(100);
    /**
     * How often every host's process reads the jobs-due signal, and the console looks for batches another process
     * committed without their jobs (decision 20): the most a queue from another process waits for a host.
     */
    private static final Duration QUEUE_WATCH = Duration.ofMillis(100);

    public enum Role { CONSOLE, WORKER, SCRIPT }

    /**
     * What this process is and what it starts besides the store: the built-in SMTP sink (on {@code sinkPort},
     * or on the port it had last time when 0) and the host's settings.
     */
    public record Options(Role role, boolean startSink, int sinkPort, EngineSettings engine, Clock clock) {

        public static Options console() {
            return new Options(Role.CONSOLE, true, 0, EngineSettings.defaults("console"), Clock.systemDefaultZone());
        }

        public static Options worker(String name, int workers) {
            return new Options(Role.WORKER, false, 0, EngineSettings.defaults(name).withWorkers(workers),
                    Clock.systemDefaultZone());
        }

        /** For the CLI's one-shot commands: no sink and no host of its own. */
        public static Options storeOnly() {
            return new Options(Role.SCRIPT, false, 0, EngineSettings.defaults("cli"), Clock.systemDefaultZone());
        }
    }

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Options options;
    private final DataDirectory directory;
    private final Database database;
    private final boolean ownsStore;
    private final Settings settings;
    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final LedgerJournal journal;
    private final HostRegistry hosts;
    private final IncidentLog incidents;
    private final WakeSignal wakeSignal;
    private final LocalSmtpSink sink;
    private Database sinkMailbox;
    private String sinkNotice;
    private final OutgoingServer outgoing;
    private final Mailer mailer;
    private final JobEngine engine;
    private final EmailQueue queue;
    private final JobQueries queries;
    private final JobCommands commands;
    private final SurvivalReports reports;
    private final HostSupervisor supervisor;
    private final TemplateLibrary templates;
    private final TestSend testSend;
    private final SmtpConnectionPool connections;
    private HostPolicy policy;
    private final Refreshed<DeliverySettings> delivery;
    private long smtpReadAt = System.nanoTime();

    private ConsoleServices(DataDirectory directory, Options options) throws StoreException {
        this.options = options;
        this.directory = directory;
        try {
            Optional<StoreEndpoint> served = StoreEndpoint.read(directory).filter(StoreEndpoint::ownerAlive);
            ownsStore = options.role() == Role.CONSOLE || (options.role() == Role.SCRIPT && served.isEmpty());
            database = ownsStore ? openOwned(directory, options) : connect(directory, options, served);
            closeables.add(database);
            settings = new Settings(database.dataSource());
            outbox = new Outbox(database.dataSource());
            ledger = new DeliveryLedger(database.dataSource(), database.groupCommit());
            // Closed after the engine, so the last bulk jobs' entries are folded before the store closes.
            journal = new LedgerJournal(directory.journalDirectory(), ledger,
                    options.role() == Role.SCRIPT ? Duration.ZERO : JOURNAL_FOLD);
            closeables.add(journal);
            hosts = new HostRegistry(database.dataSource());
            incidents = new IncidentLog(database.dataSource());
            wakeSignal = new WakeSignal(database.dataSource());
            policy = HostPolicy.load(settings);
            sink = options.startSink() ? startSink(options.sinkPort()) : null;
            outgoing = new OutgoingServer(settings, Secrets.forDirectory(directory, System.getenv()), this::builtInSink);
            mailer = new Mailer();
            // Read again at most every 5 s, so a changed policy reaches every host's next failure without a restart.
            Supplier<RetryPolicy> retryPolicy = RetryPolicy.live(settings, options.clock(), Duration.ofSeconds(5));
            delivery = Refreshed.readAlready(DeliverySettings.load(settings), () -> DeliverySettings.load(settings),
                    DELIVERY_REFRESH, Clock.systemUTC(), e -> LOG.log(System.Logger.Level.WARNING,
                            "Cannot re-read the delivery settings; keeping the last ones: " + e.getMessage()));
            SendLimitTables limits = new SendLimitTables(database.dataSource(), () -> delivery().maxConnections(),
                    () -> delivery().maxPerSecond());
            closeables.add(limits);
            // Closed after the engine (closeables close in reverse): jobs finish, then connections say QUIT.
            connections = new SmtpConnectionPool(limits, IDLE_CONNECTION);
            closeables.add(connections);
            FollowUpJobs followUps = new FollowUpJobs(this::jobStorage, options.clock(), retryPolicy);
            EmailJob emailJob = new EmailJob(outbox, ledger, journal, connections, this::smtpForDelivery, this::hostName,
                    this::hostStopping, followUps, options.clock(), retryPolicy);
            EngineSettings engineSettings = options.engine().withTiming(policy.pollInterval(), policy.timeoutMultiplicand());
            HostRecord.Kind kind = options.role() == Role.WORKER ? HostRecord.Kind.WORKER : HostRecord.Kind.CONSOLE;
            engine = new JobEngine(database.dataSource(), activatorFor(emailJob), engineSettings, hosts, kind, ownsStore,
                    options.clock(), List.of(new DeliveryRetryFilter(retryPolicy, options.clock())));
            closeables.add(engine);
            // A script on a console's store leaves the jobs to that console: its commit is the whole of a send.
            boolean createsJobs = !(options.role() == Role.SCRIPT && !ownsStore);
            queue = new EmailQueue(outbox, new UnqueuedBatches(database.dataSource()), engine.scheduler(),
                    options.clock(), () -> delivery().batchSize(), createsJobs, this::jobsDue);
            queries = new JobQueries(database.dataSource(), engine.storage(), outbox, ledger);
            commands = new JobCommands(engine.storage(), engine.scheduler(), this::jobsDue);
            reports = new SurvivalReports(database.dataSource(), engine.storage(), incidents, options.clock());
            templates = new TemplateLibrary(new TemplateTable(database.dataSource()), options.clock());
            testSend = new TestSend(mailer, outgoing::current);
            if (options.role() == Role.CONSOLE) {
                supervisor = new HostSupervisor(engine, hosts, incidents, WorkerLauncher.sameJvm(directory),
                        this::policy, options.clock());
                closeables.add(supervisor);
                recoverBeforeServing();
                // Served only once recovered, so no worker or script races the recovery; closed after the
                // supervisor, so stopping workers can still hand their jobs back through it.
                closeables.add(closeables.indexOf(database) + 1, StoreServer.start(directory));
            } else {
                supervisor = null;
            }
            if (options.role() != Role.SCRIPT) {
                // Closed first (added last): nothing is watched once the engine and the store begin to close.
                closeables.add(QueueWatch.start(wakeSignal, engine::wakeHost,
                        options.role() == Role.CONSOLE ? Optional.of(queue) : Optional.empty(), QUEUE_WATCH));
            }
        } catch (SQLException e) {
            close();
            throw new StoreException("Cannot read JobDeck's settings from " + directory.path() + ": " + e.getMessage(), e);
        } catch (StoreException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens the data directory in the given role: see the class comment. */
    public static ConsoleServices open(DataDirectory directory, Options options) throws StoreException {
        MailStreams.preferAngusProvider();
        return new ConsoleServices(directory, options);
    }

    private Database openOwned(DataDirectory directory, Options options) throws StoreException {
        directory.prepareForWriting();
        closeables.add(DirectoryLock.acquire(directory, options.role() == Role.CONSOLE ? "console" : "command line"));
        return Database.open(directory, options.engine().workers() + 8);
    }

    private static Database connect(DataDirectory directory, Options options, Optional<StoreEndpoint> served)
            throws StoreException {
        if (served.isEmpty()) {
            if (DirectoryLock.isHeld(directory)) {
                throw new DataDirectoryLockedException("The data directory " + directory.path() + " is in use by "
                        + DirectoryLock.owner(directory) + ", which does not share it. Wait until it has finished.");
            }
            throw new DataDirectoryLockedException("No JobDeck console is running on " + directory.path()
                    + ". Workers run on the store the console serves: start the console first"
                    + " (jobdeck --data-dir " + directory.path() + ").");
        }
        return Database.connect(directory, options.engine().workers() + 4);
    }

    /**
     * The built-in sink, recording into its own mailbox database (decision 15), which first takes over the messages
     * an older console recorded in the store.
     */
    private LocalSmtpSink startSink(int port) throws StoreException, SQLException {
        try {
            sinkMailbox = Database.openSinkMailbox(directory, options.engine().workers() + 8);
        } catch (DamagedStoreFileException e) {
            // The sink's messages are a test server's, not the jobs: keep the file for a look, start an empty one.
            Path aside = directory.moveAside(e.file(), options.clock().instant());
            sinkNotice = "The built-in sink's mailbox file could not be read. It was moved aside to " + aside
                    + ", and the Mailbox started empty. Jobs and their history are in another file, not affected.";
            LOG.log(System.Logger.Level.WARNING, sinkNotice + " (" + e.getMessage() + ")");
            sinkMailbox = Database.openSinkMailbox(directory, options.engine().workers() + 8);
        }
        closeables.add(sinkMailbox);
        SinkMailboxTable mailbox = new SinkMailboxTable(sinkMailbox.dataSource(), sinkMailbox.groupCommit());
        int moved = mailbox.adoptMessagesFrom(database.dataSource());
        if (moved > 0) {
            LOG.log(System.Logger.Level.INFO, "Moved {0} message(s) of the built-in sink into {1}", moved,
                    directory.sinkMailboxFile());
        }
        try {
            LocalSmtpSink started = BuiltInSink.start(settings, mailbox, port);
            closeables.add(started);
            return started;
        } catch (RuntimeException e) {
            throw new StoreException("Cannot start the built-in SMTP sink on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** What starting the built-in sink took that the operator should know, e.g. a damaged mailbox moved aside. */
    public Optional<String> sinkNotice() {
        return Optional.ofNullable(sinkNotice);
    }

    /** The built-in sink: this process's own, or, in a worker, the console's at the port it recorded. */
    private Optional<SmtpSettings> builtInSink() {
        if (sink != null) {
            return Optional.of(sink.settings());
        }
        try {
            return BuiltInSink.rememberedPort(settings).map(port -> SmtpSettings.of("127.0.0.1", port));
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot read the built-in sink's port: " + e.getMessage());
            return Optional.empty();
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
     * Before anyone else can connect: hosts that a previous console run left behind are checked (dead ones are
     * recorded with the jobs they held, which go straight back to the queue; live workers are adopted), and
     * outbox rows whose jobs were never created (a crash between the two commits) get their jobs.
     */
    private void recoverBeforeServing() throws SQLException {
        int folded = journal.foldOrphans();
        if (folded > 0) {
            LOG.log(System.Logger.Level.INFO, "Recorded {0} ledger entries that bulk jobs journaled before a crash", folded);
        }
        supervisor.recoverAfterStart();
        int unqueued = queue.recoverUnqueued();
        if (unqueued > 0) {
            LOG.log(System.Logger.Level.INFO, "Queued {0} e-mail(s) accepted before a crash but never given a job", unqueued);
        }
    }

    /**
     * Jobs due now were queued or requeued: this process's host starts them at once, and every other process's host
     * hears of it through the store within {@link #QUEUE_WATCH}. Never throws: the jobs are queued either way, and
     * each host's next poll finds them.
     */
    private void jobsDue() {
        engine.wakeHost();
        try {
            wakeSignal.raise();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not tell other hosts that jobs are due; their polls will find them: "
                    + e.getMessage());
        }
    }

    /** Starts this process's own host: the console's in-process JobRunr server. */
    public void startHost() {
        engine.startServer();
    }

    public String hostName() {
        return engine.hostName();
    }

    /** Whether this process's host is draining or stopping, read by its running bulk jobs. */
    private boolean hostStopping() {
        return engine.isStopping();
    }

    public Role role() {
        return options.role();
    }

    /** Whether this process opened the store file itself (console, or a script with no console running). */
    public boolean ownsStore() {
        return ownsStore;
    }

    public DataDirectory directory() {
        return directory;
    }

    public Database database() {
        return database;
    }

    public Settings settings() {
        return settings;
    }

    public Outbox outbox() {
        return outbox;
    }

    public DeliveryLedger ledger() {
        return ledger;
    }

    public HostRegistry hosts() {
        return hosts;
    }

    public IncidentLog incidents() {
        return incidents;
    }

    public Optional<LocalSmtpSink> sink() {
        return Optional.ofNullable(sink);
    }

    /** The built-in sink's own database, in the process that runs the sink. */
    public Optional<Database> sinkMailbox() {
        return Optional.ofNullable(sinkMailbox);
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

    public SurvivalReports reports() {
        return reports;
    }

    /** The operator's saved templates. */
    public TemplateLibrary templates() {
        return templates;
    }

    /** "Send test" on the Compose screen: one merged e-mail through the current SMTP server, no job. */
    public TestSend testSend() {
        return testSend;
    }

    /** The console's supervisor of worker processes; empty in workers and scripts. */
    public Optional<HostSupervisor> supervisor() {
        return Optional.ofNullable(supervisor);
    }

    public synchronized HostPolicy policy() {
        return policy;
    }

    /**
     * The SMTP server a job delivers to. A worker re-reads it from the store every few seconds, so a change saved on
     * the console's Settings screen reaches running workers too; the console's own host sees its saves at once.
     */
    private SmtpSettings smtpForDelivery() {
        if (options.role() == Role.WORKER) {
            synchronized (this) {
                if (System.nanoTime() - smtpReadAt > DELIVERY_REFRESH.toNanos()) {
                    smtpReadAt = System.nanoTime();
                    outgoing.reload();
                }
            }
        }
        return outgoing.current();
    }

    /** The delivery settings, re-read from the store every few seconds (another process may have changed them). */
    public DeliverySettings delivery() {
        return delivery.get();
    }

    /** The delivery settings as last read, without touching the store (for the JavaFX thread). */
    public DeliverySettings lastDelivery() {
        return delivery.last();
    }

    /** Saves new delivery settings; this process applies them at once, the others within a few seconds. */
    public void updateDelivery(DeliverySettings updated) throws SQLException {
        updated.save(settings);
        delivery.set(updated);
    }

    private StorageProvider jobStorage() {
        return engine.storage();
    }

    /** This process's SMTP connections, reused across e-mails. */
    public SmtpConnectionPool connections() {
        return connections;
    }

    /** Saves a new host policy; poll and timeout apply to hosts started from now on. */
    public void updatePolicy(HostPolicy updated) throws SQLException {
        updated.save(settings);
        synchronized (this) {
            policy = updated;
        }
        engine.useTiming(updated.pollInterval(), updated.timeoutMultiplicand());
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
