package dev.jobdeck.core;

import dev.jobdeck.core.hosts.HostCommandWatch;
import dev.jobdeck.core.hosts.HostSupervisor;
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
import dev.jobdeck.core.jobs.RetryPolicy;
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
import dev.jobdeck.core.settings.RetentionPeriod;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.settings.OutgoingServer;
import dev.jobdeck.core.settings.Refreshed;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import dev.jobdeck.core.store.DamagedStoreFileException;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.LedgerJournal;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.DirectoryCheck;
import dev.jobdeck.core.store.DirectoryLock;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.IncidentLog;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OwnerOnly;
import dev.jobdeck.core.store.SendLimitTables;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.core.store.SinkMailboxTable;
import dev.jobdeck.core.store.StoreEndpoint;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreHealth;
import dev.jobdeck.core.store.StoreCompaction;
import dev.jobdeck.core.store.StoreHealthMonitor;
import dev.jobdeck.core.store.SqlDialect;
import dev.jobdeck.core.store.StoreCredentials;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocations;
import dev.jobdeck.core.store.StoreProbe;
import dev.jobdeck.core.store.StoreServer;
import dev.jobdeck.core.store.StoreWriteBack;
import dev.jobdeck.core.store.TemplateTable;
import dev.jobdeck.core.store.UnqueuedBatches;
import dev.jobdeck.core.store.WakeSignal;
import dev.jobdeck.core.templates.TemplateLibrary;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    private static final Duration SETTINGS_REFRESH = Duration.ofSeconds(5);
    /** How long opening a data directory waits for a script that holds it, or for a console that is starting. */
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(60);
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
    /** How often the owner settles delivered e-mails and removes those past the retention period (decision 26). */
    private static final Duration RETENTION_EVERY = Duration.ofMinutes(1);
    /** How often the owner keeps the survival report's counts of the open e-mails up to date (decision 32). */
    private static final Duration KEEP_LEDGER_EVERY = Duration.ofSeconds(2);
    /** How often the owner rewrites H2's mostly-garbage chunks, as H2's own writer thread would (decision 33). */
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofMillis(500);
    /** How often the owner compacts the store's file, and for how long at most (decision 26). */
    private static final Duration COMPACT_EVERY = Duration.ofHours(6);
    private static final Duration COMPACT_BUDGET = Duration.ofMinutes(2);
    /** How often the console folds the job counters' changes when no screen counts (decision 25). */
    private static final Duration COUNTER_FOLD = Duration.ofSeconds(5);

    public enum Role { CONSOLE, WORKER, SCRIPT }

    /**
     * What this process is and what it starts besides the store: the built-in SMTP sink (on {@code sinkPort},
     * or on the port it had last time when 0) and the host's settings.
     */
    /**
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
    private final Database database;
    private final boolean ownsStore;
    /** Whether the store is shared through PostgreSQL rather than owned by one process (issue 17). */
    private final boolean shared;
    private final Settings settings;
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
    private HostPolicy policy;
    private final Refreshed<DeliverySettings> delivery;
    private volatile RetentionPeriod retention;
    private final RetentionPass retentionPass;
    private long smtpReadAt = System.nanoTime();
    /** The console's lock on its directory; taken again when a deleted directory is written back. */
    private DirectoryLock lock;
    /** The directory (its file key) that {@link #lock} locks: a retried write-back must not lock it twice. */
    private Object lockedDirectory;
    private StoreServer storeServer;
    /** Null in scripts: they check the directory once, when they start (see the cli's ScriptStore). */
    private StoreHealthMonitor health;
    /** Pauses and resumes this process's host when the store's health changes, off the monitor's thread. */
    private ExecutorService healthActions;
    /** Whether the last sickness may have left the database reopened, and JobRunr's server with it half-working. */
    private volatile boolean restartHostWhenWell;

    private ConsoleServices(DataDirectory directory, Options options) throws StoreException {
        this.options = options;
        this.directory = directory;
        try {
            database = openStore(directory, options);
            ownsStore = database.ownsFile();
            // On PostgreSQL every process may set up JobRunr's tables and JobDeck's objects on them (they take turns).
            shared = database.dialect() == SqlDialect.POSTGRESQL;
            closeables.add(database);
            settings = new Settings(database.dataSource());
            JobRunrJobs jobTables = new JobRunrJobs();
            outbox = new Outbox(database.dataSource(), jobTables);
            ledger = new DeliveryLedger(database.dataSource(), database.groupCommit());
            // Closed after the engine, so the last bulk jobs' entries are folded before the store closes.
            journal = new LedgerJournal(directory.journalDirectory(), ledger,
                    options.role() == Role.SCRIPT ? Duration.ZERO : JOURNAL_FOLD, database.failures()::lastFailureNanos);
            closeables.add(journal);
            hosts = new HostRegistry(database.dataSource());
            hostCommands = new HostCommands(database.dataSource(), options.engine().hostName() + " on " + hosts.machine()
                    + " (pid " + ProcessHandle.current().pid() + ")", options.clock());
            incidents = new IncidentLog(database.dataSource());
            wakeSignal = new WakeSignal(database.dataSource());
            policy = HostPolicy.load(settings);
            sink = options.startSink() ? startSink(options.sinkPort()) : null;
            outgoing = new OutgoingServer(settings, Secrets.forDirectory(directory, System.getenv()), this::builtInSink);
            mailer = new Mailer();
            // Read again at most every 5 s, so a changed policy reaches every host's next failure without a restart.
            Supplier<RetryPolicy> retryPolicy = RetryPolicy.live(settings, options.clock(), options.settingsRefresh());
            delivery = Refreshed.readAlready(DeliverySettings.load(settings), () -> DeliverySettings.load(settings),
                    options.settingsRefresh(), Clock.systemUTC(), e -> LOG.log(System.Logger.Level.WARNING,
                            "Cannot re-read the delivery settings; keeping the last ones: " + e.getMessage()));
            SendLimitTables limits = new SendLimitTables(database.dataSource(), () -> delivery().maxConnections(),
                    () -> delivery().maxPerSecond());
            closeables.add(limits);
            // Closed after the engine (closeables close in reverse): jobs finish, then connections say QUIT.
            connections = new SmtpConnectionPool(limits, IDLE_CONNECTION);
            closeables.add(connections);
            FollowUpJobs followUps = new FollowUpJobs(this::jobStorage, options.clock(), retryPolicy);
            PlannedStart plannedStart = new PlannedStart(options.clock());
            EmailJob emailJob = new EmailJob(outbox, ledger, journal, connections, this::smtpForDelivery, this::hostName,
                    this::hostStopping, followUps, options.clock(), retryPolicy, plannedStart, this::stillRuns);
            retention = RetentionPeriod.load(settings);
            EngineSettings engineSettings = options.engine().withTiming(policy.pollInterval(), policy.timeoutMultiplicand());
            HostRecord.Kind kind = options.role() == Role.WORKER ? HostRecord.Kind.WORKER : HostRecord.Kind.CONSOLE;
            engine = new JobEngine(database.dataSource(), database.dialect(), activatorFor(emailJob), engineSettings, hosts,
                    kind, ownsStore || shared, options.clock(),
                    List.of(new DeliveryRetryFilter(retryPolicy, options.clock()), plannedStart));
            closeables.add(engine);
            // JobRunr's own maintenance moves succeeded jobs to Deleted after the same period (decision 26).
            engine.useRetention(retention.succeeded());
            if (ownsStore || shared) {
                // JobRunr's tables exist now; no host writes jobs before the owner serves the store or starts one.
                try (Connection connection = database.dataSource().getConnection()) {
                    JobRunrSchema.migrate(connection);
                }
            }
            // A script on a console's store leaves the jobs to that console: its commit is the whole of a send.
            boolean createsJobs = !(options.role() == Role.SCRIPT && !ownsStore);
            queue = new EmailQueue(outbox, new UnqueuedBatches(database.dataSource(), jobTables), engine.scheduler(),
                    options.clock(), () -> delivery().batchSize(), createsJobs, this::jobsDue);
            queries = new JobQueries(database.dataSource(), engine.storage(), outbox, ledger);
            commands = new JobCommands(engine.storage(), engine.scheduler(), outbox, this::jobsDue);
            bulkActions = new BulkActions(queries, engine.storage(), this::jobsDue, options.clock());
            reports = new SurvivalReports(database.dataSource(), engine.storage(), incidents, options.clock(),
                    ownsStore || (shared && options.role() == Role.CONSOLE));
            retentionPass = new RetentionPass(database.dataSource(), database.dialect(), engine.storage(),
                    () -> retention.succeeded(), options.clock());
            templates = new TemplateLibrary(new TemplateTable(database.dataSource()), options.clock());
            testSend = new TestSend(mailer, outgoing::current);
            if (options.role() == Role.CONSOLE) {
                supervisor = new HostSupervisor(engine, hosts, incidents, WorkerLauncher.sameJvm(directory),
                        hostCommands, this::policy, options.clock());
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
            if (options.role() != Role.SCRIPT && ownsStore) {
                keepRetention();
            } else if (shared && options.role() == Role.CONSOLE) {
                // Every console of a shared store keeps the counts and runs the retention pass, each one at a time
                // across machines (SurvivalReports, RetentionPass). Housekeeping and compaction are H2's.
                keepLedgerCounts();
                keepSharedRetention();
            }
            if (options.role() == Role.CONSOLE) {
                foldCountersNowAndThen();
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
     * Folds the job counters' changes into their totals every few seconds (decision 25), so a store no screen reads
     * (`serve`, a console minimised for a week of deliveries) keeps its changes to a few thousand rows, not millions.
     */
    private void foldCountersNowAndThen() {
        java.util.concurrent.ScheduledExecutorService folds = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-job-counters");
            thread.setDaemon(true);
            return thread;
        });
        folds.scheduleWithFixedDelay(() -> {
            try {
                queries.counts();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Cannot fold the job counters now: " + e.getMessage());
            }
        }, COUNTER_FOLD.toMillis(), COUNTER_FOLD.toMillis(), TimeUnit.MILLISECONDS);
        closeables.add(() -> {
            folds.shutdownNow();
            folds.awaitTermination(10, TimeUnit.SECONDS);
        });
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
     * The store, as the role needs it. A worker goes through the console that serves it. A script does so too when a
     * console serves it, and otherwise opens the file itself. A console opens the file itself. Only one process can
     * hold the file: a console or script that finds a script holding it waits for that script (scripts are short:
     * a console restarted right after a crash is not refused because a {@code status} ran meanwhile), and a script
     * that finds a console still starting (recovering before it serves) waits for it to serve, each for at most
     * {@link #LOCK_PATIENCE}.
     */
    private Database openStore(DataDirectory directory, Options options) throws StoreException {
        if (StoreLocations.read(directory) instanceof StoreLocation.Postgres postgres) {
            return openShared(directory, options, postgres);
        }
        if (options.role() == Role.WORKER) {
            return connect(directory, options, StoreEndpoint.read(directory).filter(StoreEndpoint::ownerAlive));
        }
        long deadline = System.nanoTime() + LOCK_PATIENCE.toNanos();
        boolean said = false;
        while (true) {
            Optional<StoreEndpoint> served = StoreEndpoint.read(directory).filter(StoreEndpoint::ownerAlive);
            if (options.role() == Role.SCRIPT && served.isPresent()) {
                return connect(directory, options, served);
            }
            directory.prepareForWriting();
            String purpose = options.role() == Role.CONSOLE ? DirectoryLock.CONSOLE : DirectoryLock.SCRIPT;
            try {
                lock = DirectoryLock.acquire(directory, purpose,
                        holder -> holder.contains(DirectoryLock.SCRIPT) && System.nanoTime() < deadline);
                lockedDirectory = fileKey(directory.path());
                closeables.add(() -> lock.close());
                return options.role() == Role.SCRIPT ? Database.openBriefly(directory, options.engine().workers() + 8)
                        : Database.open(directory, options.engine().workers() + 8);
            } catch (DataDirectoryLockedException e) {
                String holder = DirectoryLock.holder(directory);
                boolean consoleStarting = options.role() == Role.SCRIPT && holder.contains(DirectoryLock.CONSOLE)
                        && DirectoryLock.heldElsewhere(holder);
                if (!consoleStarting || System.nanoTime() >= deadline) {
                    throw e;
                }
                if (!said) {
                    said = true;
                    LOG.log(System.Logger.Level.INFO, "Waiting for the console that is starting on {0} to serve it",
                            directory.path());
                }
            }
            sleepQuietly(Duration.ofMillis(200));
        }
    }

    /**
     * A store in PostgreSQL (issue 17): every console, host and script connects to the server itself, on any machine;
     * none owns or serves it. A console still locks its data directory, which keeps its own local files (logs, the
     * ledger journal, the built-in sink's mailbox). The password is the one the directory keeps (decision 36).
     */
    private Database openShared(DataDirectory directory, Options options, StoreLocation.Postgres postgres)
            throws StoreException {
        StoreCredentials credentials = StoreCredentials.resolve(postgres, Optional.empty(),
                new StorePasswordVault(Secrets.forDirectory(directory, System.getenv())), System.getProperty("user.name"));
        if (options.role() == Role.CONSOLE) {
            directory.prepareForWriting();
            lock = DirectoryLock.acquire(directory, DirectoryLock.CONSOLE, holder -> false);
            lockedDirectory = fileKey(directory.path());
            closeables.add(() -> lock.close());
        }
        return Database.openShared(directory, postgres.jdbcUrl(), credentials.user(),
                credentials.password().orElse(null), options.engine().workers() + 8);
    }

    private static void sleepQuietly(Duration duration) throws StoreException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while opening the data directory");
        }
    }

    /**
     * Starts the store's health monitor (decision 21): while the store is sick this process's host takes no new work
     * and its bulk jobs hand their rest back; once well, the host resumes, restarted if JobRunr stopped it or the
     * database was reopened meanwhile. The console also writes a deleted data directory back.
     */
    private void watchHealth() {
        DataDirectory here = directory;
        long reserve = DirectoryCheck.configuredReserve();
        // A worker does not own the files: the console may write the directory back under new file identities.
        DirectoryCheck files = ownsStore ? DirectoryCheck.ofOpenStore(here, reserve) : DirectoryCheck.ofDirectory(here, reserve);
        // On PostgreSQL every process asks the server itself whether it answers (issue 17).
        health = new StoreHealthMonitor(files, database, ownsStore || shared, ownsStore ? this::writeBack : null,
                options.clock());
        healthActions = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-store-health-hosts");
            thread.setDaemon(true);
            return thread;
        });
        journal.onWriteFailure(e -> health.reportWriteFailure("Journaling a delivery", e));
        health.addListener(changed -> healthActions.execute(() -> applyHealth(changed)));
        closeables.add(() -> {
            health.close();
            healthActions.shutdownNow();
            healthActions.awaitTermination(10, TimeUnit.SECONDS);
        });
        health.start();
    }

    private void applyHealth(StoreHealth changed) {
        if (!changed.isWell()) {
            LOG.log(System.Logger.Level.WARNING, "The store is sick; host " + engine.hostName() + " takes no new work: "
                    + changed.message());
            if (changed.condition() == StoreHealth.Condition.WRITE_FAILED
                    || changed.condition() == StoreHealth.Condition.NOT_ANSWERING) {
                restartHostWhenWell = true;
            }
            engine.pauseTaking(true);
            return;
        }
        engine.pauseTaking(false);
        Optional<UUID> host = engine.serverId();
        boolean reopened = health.takeReopened();
        if (host.isPresent() && (restartHostWhenWell || reopened || engine.stoppedByJobRunr())) {
            int handedBack = engine.stopServer("restarted after the store recovered");
            engine.startServer(host.get());
            LOG.log(System.Logger.Level.INFO, "The store is well again; host {0} restarted, {1} job(s) it held handed"
                    + " back", engine.hostName(), handedBack);
        } else {
            LOG.log(System.Logger.Level.INFO, "The store is well again; host {0} takes work again", engine.hostName());
        }
        restartHostWhenWell = false;
    }

    /** The data directory was deleted under the console: put it back from the open files, then lock it again. */
    private DirectoryCheck writeBack() throws StoreException {
        directory.prepareForWriting();
        Object here = fileKey(directory.path());
        if (here == null || !here.equals(lockedDirectory)) {
            DirectoryLock fresh = DirectoryLock.acquire(directory, "console");
            DirectoryLock old = lock;
            lock = fresh;
            lockedDirectory = here;
            old.close();
        }
        StoreWriteBack.restore(directory, database, sinkMailbox, storeServer);
        restartHostWhenWell = true;
        return DirectoryCheck.ofOpenStore(directory, DirectoryCheck.configuredReserve());
    }

    private static Object fileKey(Path path) {
        try {
            return java.nio.file.Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The store's health as this process last saw it; always well in a script (it checks once, at start). */
    public StoreHealth storeHealth() {
        return health == null ? StoreHealth.well(options.clock().instant()) : health.current();
    }

    /** Hears each change of the store's health, on the monitor's thread (never the JavaFX thread). */
    public void onStoreHealthChange(java.util.function.Consumer<StoreHealth> listener) {
        if (health != null) {
            health.addListener(listener);
        }
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
        // A script never waits on a console that stopped answering for longer than this; a worker rides it out.
        Duration networkTimeout = options.role() == Role.SCRIPT ? SCRIPT_NETWORK_TIMEOUT : Duration.ZERO;
        return Database.connect(directory, options.engine().workers() + 4, networkTimeout);
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
                if (System.nanoTime() - smtpReadAt > options.settingsRefresh().toNanos()) {
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

    /** How long succeeded jobs and their rows are kept. */
    public RetentionPeriod retention() {
        return retention;
    }

    /** Saves a new retention period: this process's next pass uses it, JobRunr's hosts from their next start. */
    public void updateRetention(RetentionPeriod updated) throws SQLException {
        updated.save(settings);
        retention = updated;
        engine.useRetention(updated.succeeded());
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

    /**
     * The owner runs the retention pass every {@link #RETENTION_EVERY} and compacts the store every
     * {@link #COMPACT_EVERY}, on one thread of its own: compaction never runs beside a purge, and never while the
     * store is sick (a full disk is what compaction must not meet).
     */
    /**
     * Scripts and screens read the ledger of a million jobs from kept counts plus the batches written since (decision
     * 32). A thread of its own: a retention pass over a million jobs runs for minutes, and marks pile up meanwhile.
     */
    private void keepLedgerCounts() {
        java.util.concurrent.ScheduledExecutorService counts = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-ledger-counts");
            thread.setDaemon(true);
            return thread;
        });
        closeables.add(() -> {
            counts.shutdownNow();
            counts.awaitTermination(10, TimeUnit.SECONDS);
        });
        counts.scheduleWithFixedDelay(() -> {
            try {
                reports.keepCounts();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot keep the survival report's counts now; tried again in " + KEEP_LEDGER_EVERY.toSeconds() + " s: " + e.getMessage());
            }
        }, KEEP_LEDGER_EVERY.toMillis() / 5, KEEP_LEDGER_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** On a PostgreSQL store: the retention pass every {@link #RETENTION_EVERY}, on a thread of its own. */
    private void keepSharedRetention() {
        java.util.concurrent.ScheduledExecutorService pass = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-retention");
            thread.setDaemon(true);
            return thread;
        });
        pass.scheduleWithFixedDelay(() -> {
            try {
                retentionPass.run();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "The retention pass failed; it runs again in "
                        + options.retentionEvery().toSeconds() + " s: " + e.getMessage());
            }
        }, options.retentionEvery().toMillis(), options.retentionEvery().toMillis(), TimeUnit.MILLISECONDS);
        closeables.add(() -> {
            pass.shutdownNow();
            pass.awaitTermination(10, TimeUnit.SECONDS);
        });
    }

    private void keepRetention() {
        java.util.concurrent.ScheduledExecutorService pass = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-retention");
            thread.setDaemon(true);
            return thread;
        });
        pass.scheduleWithFixedDelay(() -> {
            try {
                retentionPass.run();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "The retention pass failed; it runs again in "
                        + options.retentionEvery().toSeconds() + " s: " + e.getMessage());
            }
        }, options.retentionEvery().toMillis(), options.retentionEvery().toMillis(), TimeUnit.MILLISECONDS);
        keepLedgerCounts();
        // H2's own housekeeping is off with WRITE_DELAY=0 (decision 33): its own thread, as a retention pass runs long.
        java.util.concurrent.ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                runnable -> {
                    Thread thread = new Thread(runnable, "jobdeck-store-housekeeping");
                    thread.setDaemon(true);
                    return thread;
                });
        StoreCompaction housekeeper = new StoreCompaction(database, DirectoryCheck.configuredReserve());
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                housekeeper.housekeep();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Store housekeeping skipped: " + e.getMessage());
            }
        }, HOUSEKEEPING_EVERY.toMillis(), HOUSEKEEPING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        closeables.add(() -> {
            housekeeping.shutdownNow();
            housekeeping.awaitTermination(10, TimeUnit.SECONDS);
        });
        pass.scheduleWithFixedDelay(() -> {
            if (!storeHealth().isWell()) {
                LOG.log(System.Logger.Level.INFO, "Store compaction skipped: the store is not well");
                return;
            }
            try {
                compactStore();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Compacting the store failed; it is tried again in "
                        + COMPACT_EVERY.toHours() + " h: " + e.getMessage());
            }
        }, COMPACT_EVERY.toMillis(), COMPACT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        closeables.add(() -> {
            pass.shutdownNow();
            pass.awaitTermination(10, TimeUnit.SECONDS);
        });
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
