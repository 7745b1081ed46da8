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
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.settings.LiveSettings;
import dev.jobdeck.core.settings.OutgoingServer;
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
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreHealth;
import dev.jobdeck.core.store.StoreHealthMonitor;
import dev.jobdeck.core.store.StoreServer;
import dev.jobdeck.core.store.StoreWriteBack;
import dev.jobdeck.core.store.TemplateTable;
import dev.jobdeck.core.store.UnqueuedBatches;
import dev.jobdeck.core.store.WakeSignal;
import dev.jobdeck.core.templates.TemplateLibrary;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
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
 *
 * <p>What it built it hands over as one record, {@link ServiceParts} (decision 51); the screens, the scripts and a
 * worker get narrow facades of it ({@link ScreenServices}, {@link ScriptServices}, {@link WorkerHost}).
 */
public final class ConsoleServices implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConsoleServices.class.getName());
    /** Connections idle this long are closed (servers close idle ones after a minute or more). */
    private static final Duration IDLE_CONNECTION = Duration.ofSeconds(15);
    /** How often bulk jobs' journaled ledger entries are folded into the store: the dashboard lags by about this. */
    private static final Duration JOURNAL_FOLD = Duration.ofMillis(100);
    /**
     * How often every host's process reads the jobs-due signal, and the console looks for batches another process
     * committed without their jobs (decision 20): the most a queue from another process waits for a host.
     */
    private static final Duration QUEUE_WATCH = Duration.ofMillis(100);
    /** How often every host reads the commands consoles left for it (decision 40): the most a Drain or Stop waits. */
    private static final Duration COMMAND_WATCH = Duration.ofSeconds(1);
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
    private final StoreOpener opener;
    private final ServiceParts parts;
    /** Also a field: the job it runs is built before it, and asks it for the host's name, state and storage. */
    private final JobEngine engine;
    private final boolean ownsStore;
    /** Null in scripts, which run no host. */
    private HostCommandWatch commandWatch;
    private StoreServer storeServer;
    /** Null in scripts: they check the directory once, when they start (see the cli's ScriptStore). */
    private StoreHealthWatch health;

    private ConsoleServices(DataDirectory directory, Options options) throws StoreException {
        this.options = options;
        this.opener = new StoreOpener(directory);
        closeables.add(opener);
        try {
            Database database = opener.open(options);
            ownsStore = database.ownsFile();
            // On PostgreSQL every process may set up JobRunr's tables and JobDeck's objects on them (they take turns).
            boolean shared = database.dialect() == SqlDialect.POSTGRESQL;
            closeables.add(database);
            Settings settings = new Settings(database.dataSource());
            LiveSettings live = LiveSettings.load(settings, options.clock(), options.settingsRefresh());
            JobRunrJobs jobTables = new JobRunrJobs();
            Outbox outbox = new Outbox(database.dataSource(), jobTables);
            DeliveryLedger ledger = new DeliveryLedger(database.dataSource(), database.groupCommit());
            // Closed after the engine, so the last bulk jobs' entries are folded before the store closes.
            LedgerJournal journal = new LedgerJournal(directory.journalDirectory(), ledger,
                    options.role() == Role.SCRIPT ? Duration.ZERO : JOURNAL_FOLD, database.failures()::lastFailureNanos);
            closeables.add(journal);
            HostRegistry hosts = new HostRegistry(database.dataSource(), database.dialect());
            HostCommands hostCommands = new HostCommands(database.dataSource(), options.engine().hostName() + " on "
                    + hosts.machine() + " (pid " + ProcessHandle.current().pid() + ")", options.clock());
            IncidentLog incidents = new IncidentLog(database.dataSource());
            WakeSignal wakeSignal = new WakeSignal(database.dataSource());
            Optional<BuiltInSink.Running> sink = Optional.empty();
            if (options.startSink()) {
                sink = Optional.of(BuiltInSink.startWithMailbox(directory, database, settings, options.sinkPort(),
                        options.engine().workers() + 8, options.clock(), closeables::add));
            }
            OutgoingServer outgoing = new OutgoingServer(settings, Secrets.forDirectory(directory, System.getenv()),
                    BuiltInSink.address(sink.map(BuiltInSink.Running::sink), settings));
            // A worker re-reads the SMTP server every few seconds, so a change saved on the console reaches it too;
            // the console's own host sees its saves at once.
            Supplier<SmtpSettings> smtpForDelivery = options.role() == Role.WORKER
                    ? outgoing.rereadEvery(options.settingsRefresh()) : outgoing::current;
            Mailer mailer = new Mailer();
            // Read again at most every 5 s, so a changed policy reaches every host's next failure without a restart.
            Supplier<RetryPolicy> retryPolicy = live.retryPolicy();
            SendLimitTables limits = new SendLimitTables(database.dataSource(), () -> live.delivery().maxConnections(),
                    () -> live.delivery().maxPerSecond());
            closeables.add(limits);
            // Closed after the engine (closeables close in reverse): jobs finish, then connections say QUIT.
            SmtpConnectionPool connections = new SmtpConnectionPool(limits, IDLE_CONNECTION);
            closeables.add(connections);
            FollowUpJobs followUps = new FollowUpJobs(() -> engineOnceBuilt().storage(), options.clock(), retryPolicy);
            PlannedStart plannedStart = new PlannedStart(options.clock());
            EmailJob emailJob = new EmailJob(outbox, ledger, journal, connections, smtpForDelivery, this::hostName,
                    () -> engineOnceBuilt().isStopping(), followUps, options.clock(), retryPolicy, plannedStart,
                    (jobId, runStartedAt) -> engineOnceBuilt().stillRuns(jobId, runStartedAt));
            HostPolicy policy = live.policy();
            EngineSettings engineSettings = options.engine().withTiming(policy.pollInterval(), policy.timeoutMultiplicand());
            HostRecord.Kind kind = options.role() == Role.WORKER ? HostRecord.Kind.WORKER : HostRecord.Kind.CONSOLE;
            engine = new JobEngine(database.dataSource(), database.dialect(), emailJob.activator(), engineSettings, hosts,
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
            Runnable jobsDue = QueueWatch.jobsDue(wakeSignal, engine::wakeHost);
            EmailQueue queue = new EmailQueue(outbox, new UnqueuedBatches(database.dataSource(), jobTables),
                    engine.scheduler(), options.clock(), () -> live.delivery().batchSize(), createsJobs, jobsDue);
            JobQueries queries = new JobQueries(database.dataSource(), engine.storage(), outbox, ledger);
            JobCommands commands = new JobCommands(engine.storage(), engine.scheduler(), outbox, jobsDue);
            BulkActions bulkActions = new BulkActions(queries, engine.storage(), jobsDue, options.clock());
            SurvivalReports reports = new SurvivalReports(database.dataSource(), engine.storage(), incidents,
                    options.clock(), ownsStore || (shared && options.role() == Role.CONSOLE));
            RetentionPass retentionPass = new RetentionPass(database.dataSource(), database.dialect(), engine.storage(),
                    () -> live.retention().succeeded(), options.clock());
            TemplateLibrary templates = new TemplateLibrary(new TemplateTable(database.dataSource()), options.clock());
            TestSend testSend = new TestSend(mailer, outgoing::current);
            Optional<HostSupervisor> supervisor = Optional.empty();
            if (options.role() == Role.CONSOLE) {
                supervisor = Optional.of(new HostSupervisor(engine, hosts, incidents, WorkerLauncher.sameJvm(directory),
                        hostCommands, live::policy, options.clock()));
                closeables.add(supervisor.get());
            }
            parts = new ServiceParts(directory, database, settings, live, outbox, ledger, hosts, hostCommands, incidents,
                    sink.map(BuiltInSink.Running::sink), sink.map(BuiltInSink.Running::mailbox),
                    sink.flatMap(BuiltInSink.Running::notice), outgoing, mailer, connections, engine, queue, queries,
                    commands, bulkActions, reports, retentionPass, templates, testSend, supervisor);
            if (options.role() == Role.CONSOLE) {
                recoverBeforeServing(journal);
                if (!shared) {
                    // Served only once recovered, so no worker or script races the recovery; closed after the
                    // supervisor, so stopping workers can still hand their jobs back through it.
                    storeServer = StoreServer.start(directory);
                    closeables.add(closeables.indexOf(database) + 1, storeServer);
                }
            }
            closeables.add(Chores.schedule(options.role(), ownsStore, shared, options.retentionEvery(), retentionPass,
                    reports, database, queries, this::storeHealth));
            if (options.role() == Role.CONSOLE) {
                // The sort keys and words of jobs stored before decision 30, built in the background, resumably: at a
                // million jobs it takes minutes. Closed before the store.
                JobKeysBuild.startIfOwed(database.dataSource()).ifPresent(closeables::add);
            }
            if (options.role() != Role.SCRIPT) {
                // Closed before the engine: a drain on command is cut short, the engine's close stops the host.
                commandWatch = HostCommandWatch.start(hostCommands, engine, COMMAND_WATCH);
                closeables.add(commandWatch);
                watchHealth(journal);
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
        ServiceParts parts = services.parts;
        return new WorkerHost(new WorkerHost.Parts(parts.engine(), parts.hosts(), parts.outbox(), parts.ledger(),
                parts.mailer(), parts.outgoing()::current, parts.liveSettings()::policy, parts.database().dataSource(),
                services.health, services.commandWatch, services));
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
    private void watchHealth(LedgerJournal journal) {
        long reserve = DirectoryCheck.configuredReserve();
        DirectoryCheck files = ownsStore ? DirectoryCheck.ofOpenStore(parts.directory(), reserve)
                : DirectoryCheck.ofDirectory(parts.directory(), reserve);
        // On PostgreSQL every process asks the server itself whether it answers (issue 17).
        health = StoreHealthWatch.start(new StoreHealthMonitor(files, parts.database(),
                ownsStore || parts.database().dialect() == SqlDialect.POSTGRESQL, ownsStore ? this::writeBack : null,
                options.clock()), engine);
        journal.onWriteFailure(e -> health.reportWriteFailure("Journaling a delivery", e));
        closeables.add(health);
    }

    /** The data directory was deleted under the console: put it back from the open files, then lock it again. */
    private DirectoryCheck writeBack() throws StoreException {
        parts.directory().prepareForWriting();
        opener.relock();
        StoreWriteBack.restore(parts.directory(), parts.database(), parts.sinkMailbox().orElse(null), storeServer);
        health.restartHostWhenWell();
        return DirectoryCheck.ofOpenStore(parts.directory(), DirectoryCheck.configuredReserve());
    }

    /** The store's health as this process last saw it; always well in a script (it checks once, at start). */
    public StoreHealth storeHealth() {
        return health == null ? StoreHealth.well(options.clock().instant()) : health.current();
    }

    /** Hears each change of the store's health, on the monitor's thread (never the JavaFX thread). */
    public void onStoreHealthChange(Consumer<StoreHealth> listener) {
        if (health != null) {
            health.onChange(listener);
        }
    }

    /**
     * Before anyone else can connect: hosts that a previous console run left behind are checked (dead ones are
     * recorded with the jobs they held, which go straight back to the queue; live workers are adopted), and
     * outbox rows whose jobs were never created (a crash between the two commits) get their jobs.
     */
    private void recoverBeforeServing(LedgerJournal journal) throws SQLException {
        int folded = journal.foldOrphans();
        if (folded > 0) {
            LOG.log(System.Logger.Level.INFO, "Recorded {0} ledger entries that bulk jobs journaled before a crash", folded);
        }
        parts.supervisor().orElseThrow().recoverAfterStart();
        int unqueued = parts.queue().recoverUnqueued();
        if (unqueued > 0) {
            LOG.log(System.Logger.Level.INFO, "Queued {0} e-mail(s) accepted before a crash but never given a job", unqueued);
        }
    }

    /** The services this process is made of (decision 51): for the facades and the tests, not for the CLI or the UI. */
    public ServiceParts parts() {
        return parts;
    }

    /** What the console's screens use of these services (decision 43); only a console has screens. */
    public ScreenServices forScreens() {
        return new ScreenServices(parts, this);
    }

    /** Starts this process's own host: the console's in-process JobRunr server. */
    public void startHost() {
        engine.startServer();
    }

    public String hostName() {
        return engine.hostName();
    }

    /** The engine, for the job built before it (a lambda may not read the field before it is assigned). */
    private JobEngine engineOnceBuilt() {
        return engine;
    }

    /** The built-in SMTP sink, where this process runs it. */
    public Optional<LocalSmtpSink> sink() {
        return parts.sink();
    }

    /** Whether this process opened the store file itself (console, or a script with no console running). */
    public boolean ownsStore() {
        return ownsStore;
    }

    public DataDirectory directory() {
        return parts.directory();
    }

    /**
     * Hears, on a command's thread, that this process's host stopped because a console asked it to (decision 40): a
     * worker or {@code serve} process exits then. Nothing happens in a script, which runs no host.
     */
    public void onHostStoppedByCommand(Consumer<HostCommands.Request> listener) {
        if (commandWatch != null) {
            commandWatch.onStopped(listener);
        }
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
