package dev.jobdeck.core;

import dev.jobdeck.core.hosts.HostCommandWatch;
import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.hosts.StoreHealthWatch;
import dev.jobdeck.core.hosts.WorkerHost;
import dev.jobdeck.core.hosts.WorkerLauncher;
import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.core.jobs.DeliveryRetryFilter;
import dev.jobdeck.core.jobs.EmailJob;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.EngineSettings;
import dev.jobdeck.core.jobs.FollowUpJobs;
import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.jobs.jobrunr.JobKeysBuild;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.PlannedStart;
import dev.jobdeck.core.jobs.QueueWatch;
import dev.jobdeck.core.jobs.RetentionPass;
import dev.jobdeck.core.jobs.SurvivalReports;
import dev.jobdeck.core.jobs.TestSend;
import dev.jobdeck.core.jobs.jobrunr.JobRunrJobs;
import dev.jobdeck.core.jobs.jobrunr.JobRunrSchema;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.MailStreams;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.SmtpConnectionPool;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.BuiltInSink;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.settings.LiveSettings;
import dev.jobdeck.core.settings.OutgoingServer;
import dev.jobdeck.core.settings.RetentionPeriod;
import dev.jobdeck.core.settings.RetryPolicy;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.DirectoryCheck;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.IncidentLog;
import dev.jobdeck.core.store.LedgerJournal;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OwnerOnly;
import dev.jobdeck.core.store.SendLimitTables;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.core.store.SqlDialect;
import dev.jobdeck.core.store.StoreCompaction;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreHealth;
import dev.jobdeck.core.store.StoreHealthMonitor;
import dev.jobdeck.core.store.StoreProbe;
import dev.jobdeck.core.store.StoreServer;
import dev.jobdeck.core.store.StoreWriteBack;
import dev.jobdeck.core.store.TemplateTable;
import dev.jobdeck.core.store.UnqueuedBatches;
import dev.jobdeck.core.store.WakeSignal;
import dev.jobdeck.core.templates.TemplateLibrary;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
    /** How often bulk jobs' journaled ledger entries are folded into the store: the dashboard lags by about this. */
    private static final Duration JOURNAL_FOLD = Duration.ofMillis(100);
    /** The longest a script waits for any answer from the console that serves the store. */
    public static final Duration SCRIPT_NETWORK_TIMEOUT = Duration.ofSeconds(20);
    /**
     * How often every host's process reads the jobs-due signal, and the console looks for batches another process
     * committed without their jobs (decision 20): the most a queue from another process waits for a host.
     */
    private static final Duration QUEUE_WATCH = Duration.ofMillis(100);
    /** How often every host reads the commands consoles left for it (decision 40): the most a Drain or Stop waits. */
    private static final Duration COMMAND_WATCH = Duration.ofSeconds(1);
    /** How long compacting the store's file takes at most (decision 26). */
    private static final Duration COMPACT_BUDGET = Duration.ofMinutes(2);
    /** How often each process re-reads the SMTP server, delivery settings and retry policy another may have changed. */
    private static final Duration SETTINGS_REFRESH = Duration.ofSeconds(5);
    /** How often the owner settles delivered e-mails and removes those past the retention period (decision 26). */
    private static final Duration RETENTION_EVERY = Duration.ofMinutes(1);

    public enum Role { CONSOLE, WORKER, SCRIPT }

    /**
     * What this process is and what it starts besides the store: the built-in SMTP sink (on {@code sinkPort},
     * or on the port it had last time when 0) and the host's settings.
     * {@code settingsRefresh}: how long a host keeps the SMTP server, delivery settings and retry policy it read before
     * reading them again (another process may have saved new ones); {@code retentionEvery}: the owner's retention pass.
     * Tests shorten them instead of waiting out the defaults.
     */
    public record Options(Role role, boolean startSink, int sinkPort, EngineSettings engine, Clock clock,
                          Duration settingsRefresh, Duration retentionEvery) {

        public Options(Role role, boolean startSink, int sinkPort, EngineSettings engine, Clock clock) {
            this(role, startSink, sinkPort, engine, clock, SETTINGS_REFRESH, RETENTION_EVERY);
        }

        public Options withPeriods(Duration settingsRefresh, Duration retentionEvery) {
            return new Options(role, startSink, sinkPort, engine, clock, settingsRefresh, retentionEvery);
        }

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
    private final StoreOpener opener;
    private final Database database;
    private final boolean ownsStore;
    /** Whether the store is shared through PostgreSQL rather than owned by one process (issue 17). */
    private final boolean shared;
    private final Settings settings;
    private final LiveSettings live;
    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final LedgerJournal journal;
    private final HostRegistry hosts;
    private final HostCommands hostCommands;
    /** Null in scripts, which run no host. */
    private HostCommandWatch commandWatch;
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
    private final BulkActions bulkActions;
    private final SurvivalReports reports;
    private final HostSupervisor supervisor;
    private final TemplateLibrary templates;
    private final TestSend testSend;
    private final SmtpConnectionPool connections;
    private final RetentionPass retentionPass;
    private StoreServer storeServer;
    /** Null in scripts: they check the directory once, when they start (see the cli's ScriptStore). */
    private StoreHealthWatch health;

    private ConsoleServices(DataDirectory directory, Options options) throws StoreException {
        this.options = options;
        this.directory = directory;
        this.opener = new StoreOpener(directory);
        closeables.add(opener);
        try {
            database = opener.open(options);
            ownsStore = database.ownsFile();
            // On PostgreSQL every process may set up JobRunr's tables and JobDeck's objects on them (they take turns).
            shared = database.dialect() == SqlDialect.POSTGRESQL;
            closeables.add(database);
            settings = new Settings(database.dataSource());
            live = LiveSettings.load(settings, options.clock(), options.settingsRefresh());
            JobRunrJobs jobTables = new JobRunrJobs();
            outbox = new Outbox(database.dataSource(), jobTables);
            ledger = new DeliveryLedger(database.dataSource(), database.groupCommit());
            // Closed after the engine, so the last bulk jobs' entries are folded before the store closes.
            journal = new LedgerJournal(directory.journalDirectory(), ledger,
                    options.role() == Role.SCRIPT ? Duration.ZERO : JOURNAL_FOLD, database.failures()::lastFailureNanos);
            closeables.add(journal);
            hosts = new HostRegistry(database.dataSource(), database.dialect());
            hostCommands = new HostCommands(database.dataSource(), options.engine().hostName() + " on " + hosts.machine()
                    + " (pid " + ProcessHandle.current().pid() + ")", options.clock());
            incidents = new IncidentLog(database.dataSource());
            wakeSignal = new WakeSignal(database.dataSource());
            if (options.startSink()) {
                BuiltInSink.Running running = BuiltInSink.startWithMailbox(directory, database, settings,
                        options.sinkPort(), options.engine().workers() + 8, options.clock(), closeables::add);
                sink = running.sink();
                sinkMailbox = running.mailbox();
                sinkNotice = running.notice().orElse(null);
            } else {
                sink = null;
            }
            outgoing = new OutgoingServer(settings, Secrets.forDirectory(directory, System.getenv()),
                    BuiltInSink.address(Optional.ofNullable(sink), settings));
            // A worker re-reads the SMTP server every few seconds, so a change saved on the console reaches it too;
            // the console's own host sees its saves at once.
            Supplier<SmtpSettings> smtpForDelivery = options.role() == Role.WORKER
                    ? outgoing.rereadEvery(options.settingsRefresh()) : outgoing::current;
            mailer = new Mailer();
            // Read again at most every 5 s, so a changed policy reaches every host's next failure without a restart.
            Supplier<RetryPolicy> retryPolicy = live.retryPolicy();
            SendLimitTables limits = new SendLimitTables(database.dataSource(), () -> live.delivery().maxConnections(),
                    () -> live.delivery().maxPerSecond());
            closeables.add(limits);
            // Closed after the engine (closeables close in reverse): jobs finish, then connections say QUIT.
            connections = new SmtpConnectionPool(limits, IDLE_CONNECTION);
            closeables.add(connections);
            FollowUpJobs followUps = new FollowUpJobs(this::jobStorage, options.clock(), retryPolicy);
            PlannedStart plannedStart = new PlannedStart(options.clock());
            EmailJob emailJob = new EmailJob(outbox, ledger, journal, connections, smtpForDelivery, this::hostName,
                    this::hostStopping, followUps, options.clock(), retryPolicy, plannedStart, this::stillRuns);
            HostPolicy policy = live.policy();
            EngineSettings engineSettings = options.engine().withTiming(policy.pollInterval(), policy.timeoutMultiplicand());
            HostRecord.Kind kind = options.role() == Role.WORKER ? HostRecord.Kind.WORKER : HostRecord.Kind.CONSOLE;
            engine = new JobEngine(database.dataSource(), database.dialect(), activatorFor(emailJob), engineSettings, hosts,
                    kind, ownsStore || shared, options.clock(),
                    List.of(new DeliveryRetryFilter(retryPolicy, options.clock()), plannedStart));
            closeables.add(engine);
            // JobRunr's own maintenance moves succeeded jobs to Deleted after the same period (decision 26).
            engine.useRetention(live.retention().succeeded());
            live.onRetentionSaved(saved -> engine.useRetention(saved.succeeded()));
            live.onPolicySaved(saved -> engine.useTiming(saved.pollInterval(), saved.timeoutMultiplicand()));
            if (ownsStore || shared) {
                // JobRunr's tables exist now; no host writes jobs before the owner serves the store or starts one.
                try (Connection connection = database.dataSource().getConnection()) {
                    JobRunrSchema.migrate(connection);
                }
            }
            // A script on a console's store leaves the jobs to that console: its commit is the whole of a send.
            boolean createsJobs = !(options.role() == Role.SCRIPT && !ownsStore);
            queue = new EmailQueue(outbox, new UnqueuedBatches(database.dataSource(), jobTables), engine.scheduler(),
                    options.clock(), () -> live.delivery().batchSize(), createsJobs, this::jobsDue);
            queries = new JobQueries(database.dataSource(), engine.storage(), outbox, ledger);
            commands = new JobCommands(engine.storage(), engine.scheduler(), outbox, this::jobsDue);
            bulkActions = new BulkActions(queries, engine.storage(), this::jobsDue, options.clock());
            reports = new SurvivalReports(database.dataSource(), engine.storage(), incidents, options.clock(),
                    ownsStore || (shared && options.role() == Role.CONSOLE));
            retentionPass = new RetentionPass(database.dataSource(), database.dialect(), engine.storage(),
                    () -> live.retention().succeeded(), options.clock());
            templates = new TemplateLibrary(new TemplateTable(database.dataSource()), options.clock());
            testSend = new TestSend(mailer, outgoing::current);
            if (options.role() == Role.CONSOLE) {
                supervisor = new HostSupervisor(engine, hosts, incidents, WorkerLauncher.sameJvm(directory),
                        hostCommands, live::policy, options.clock());
                closeables.add(supervisor);
                recoverBeforeServing();
                if (!shared) {
                    // Served only once recovered, so no worker or script races the recovery; closed after the
                    // supervisor, so stopping workers can still hand their jobs back through it.
                    storeServer = StoreServer.start(directory);
                    closeables.add(closeables.indexOf(database) + 1, storeServer);
                }
            } else {
                supervisor = null;
            }
            closeables.add(Chores.schedule(options.role(), ownsStore, shared, options.retentionEvery(), retentionPass, reports,
                    new StoreCompaction(database, DirectoryCheck.configuredReserve()), this::compactStore, queries,
                    this::storeHealth));
            if (options.role() == Role.CONSOLE) {
                buildJobKeysIfOwed();
            }
            if (options.role() != Role.SCRIPT) {
                // Closed before the engine: a drain on command is cut short, the engine's close stops the host.
                commandWatch = HostCommandWatch.start(hostCommands, engine, COMMAND_WATCH);
                closeables.add(commandWatch);
                watchHealth();
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

    /**
     * Opens the data directory as a worker named {@code name} with {@code workers} threads, and hands over its host:
     * {@code jobdeck worker} runs the host's lifecycle through it alone (decision 43). Closing the host closes these
     * services.
     */
    public static WorkerHost openWorker(DataDirectory directory, String name, int workers) throws StoreException {
        ConsoleServices services = open(directory, Options.worker(name, workers));
        return new WorkerHost(new WorkerHost.Parts(services.engine, services.hosts, services.outbox, services.ledger,
                services.mailer, services.outgoing::current, services.live::policy, services.database.dataSource(),
                services.health, services.commandWatch, services));
    }

    /**
     * The sort keys and words of the jobs a store held before decision 30 are built by its owner in the background,
     * after the open, resumably (JobKeysBuild): at a million jobs the build takes minutes. Closed before the store.
     */
    private void buildJobKeysIfOwed() throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            if (!JobKeysBuild.owed(connection)) {
                return;
            }
        }
        closeables.add(JobKeysBuild.start(database.dataSource()));
    }

    /** Opens the data directory in the given role: see the class comment. */
    public static ConsoleServices open(DataDirectory directory, Options options) throws StoreException {
        // Before anything writes a file: logs, journals and H2's own files are born owner-only (decision 22).
        OwnerOnly.restrictNewFiles();
        MailStreams.preferAngusProvider();
        return new ConsoleServices(directory, options);
    }

    /**
     * The store's health monitor (decision 21), which this process's host follows; the console also writes a deleted
     * data directory back. A worker does not own the files: the console may write them back under new identities.
     */
    private void watchHealth() {
        long reserve = DirectoryCheck.configuredReserve();
        DirectoryCheck files = ownsStore ? DirectoryCheck.ofOpenStore(directory, reserve)
                : DirectoryCheck.ofDirectory(directory, reserve);
        // On PostgreSQL every process asks the server itself whether it answers (issue 17).
        health = StoreHealthWatch.start(new StoreHealthMonitor(files, database, ownsStore || shared,
                ownsStore ? this::writeBack : null, options.clock()), engine);
        journal.onWriteFailure(e -> health.reportWriteFailure("Journaling a delivery", e));
        closeables.add(health);
    }

    /** The data directory was deleted under the console: put it back from the open files, then lock it again. */
    private DirectoryCheck writeBack() throws StoreException {
        directory.prepareForWriting();
        opener.relock();
        StoreWriteBack.restore(directory, database, sinkMailbox, storeServer);
        health.restartHostWhenWell();
        return DirectoryCheck.ofOpenStore(directory, DirectoryCheck.configuredReserve());
    }

    /** The store's health as this process last saw it; always well in a script (it checks once, at start). */
    public StoreHealth storeHealth() {
        return health == null ? StoreHealth.well(options.clock().instant()) : health.current();
    }

    /** Hears each change of the store's health, on the monitor's thread (never the JavaFX thread). */
    public void onStoreHealthChange(java.util.function.Consumer<StoreHealth> listener) {
        if (health != null) {
            health.onChange(listener);
        }
    }

    /** What starting the built-in sink took that the operator should know, e.g. a damaged mailbox moved aside. */
    public Optional<String> sinkNotice() {
        return Optional.ofNullable(sinkNotice);
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

    /** What the console's screens use of these services (decision 43); only a console has screens. */
    public ScreenServices forScreens() {
        return new ScreenServices(this);
    }

    /** Starts this process's own host: the console's in-process JobRunr server. */
    public void startHost() {
        engine.startServer();
    }

    public String hostName() {
        return engine.hostName();
    }

    /** Whether this process's host still runs a bulk job, asked by the job itself (decision 23). */
    private boolean stillRuns(UUID jobId, java.time.Instant runStartedAt) {
        return engine.stillRuns(jobId, runStartedAt);
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

    /** Drain or stop any host of the store, on this machine or another, through the store (decision 40). */
    public HostCommands hostCommands() {
        return hostCommands;
    }

    /**
     * Hears, on a command's thread, that this process's host stopped because a console asked it to (decision 40): a
     * worker or {@code serve} process exits then. Nothing happens in a script, which runs no host.
     */
    public void onHostStoppedByCommand(java.util.function.Consumer<HostCommands.Request> listener) {
        if (commandWatch != null) {
            commandWatch.onStopped(listener);
        }
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

    /** Requeue or delete every job that matches (decision 27). */
    public BulkActions bulkActions() {
        return bulkActions;
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

    /** The settings every process of the store shares, with their saves (decision 43). */
    public LiveSettings liveSettings() {
        return live;
    }

    public HostPolicy policy() {
        return live.policy();
    }

    /** The delivery settings as last read, without touching the store (for the JavaFX thread). */
    public DeliverySettings lastDelivery() {
        return live.lastDelivery();
    }

    /** Saves new delivery settings; this process applies them at once, the others within a few seconds. */
    public void updateDelivery(DeliverySettings updated) throws SQLException {
        live.updateDelivery(updated);
    }

    private StorageProvider jobStorage() {
        return engine.storage();
    }

    /** This process's SMTP connections, reused across e-mails. */
    public SmtpConnectionPool connections() {
        return connections;
    }

    /** How long succeeded jobs and their rows are kept. */
    public RetentionPeriod retention() {
        return live.retention();
    }

    /** Saves a new retention period: this process's next pass uses it, JobRunr's hosts from their next start. */
    public void updateRetention(RetentionPeriod updated) throws SQLException {
        live.updateRetention(updated);
    }

    /** Settles and removes now what the owner's schedule would (tests, and {@code jobdeck} after a change). */
    public RetentionPass.Result runRetention() throws SQLException {
        return retentionPass.run();
    }

    /** The store's file on disk, in bytes: a look at the file system, cheap from any process on this machine. */
    public long storeSizeOnDisk() throws SQLException {
        return shared ? StoreProbe.sizeOfSharedStore(database) : new StoreCompaction(database, 0).sizeOnDisk();
    }

    /** Where the store lives, in words for the Settings screen: no I/O. */
    public String storeDescription() {
        return database.describe();
    }

    /** The Settings screen's "Test connection": a round trip to the store and what the server says (I/O). */
    public StoreProbe.Result testStoreConnection() throws SQLException {
        return StoreProbe.test(database);
    }

    /** Compacts the store's file now, as the owner's schedule does. */
    public StoreCompaction.Result compactStore() throws SQLException {
        return new StoreCompaction(database, DirectoryCheck.configuredReserve()).compact(COMPACT_BUDGET);
    }

    /** Saves a new host policy; poll and timeout apply to hosts started from now on. */
    public void updatePolicy(HostPolicy updated) throws SQLException {
        live.updatePolicy(updated);
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
