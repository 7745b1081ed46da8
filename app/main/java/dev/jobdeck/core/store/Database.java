package dev.jobdeck.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * JobDeck's H2 file database: one pool shared by JobRunr and JobDeck's own tables.
 *
 * <p>{@code WRITE_DELAY=0} makes H2 hand every commit to the operating system before the commit
 * returns, so a commit survives {@code kill -9} of the process (H2's default waits up to 500 ms).
 * The pool keeps the database open between statements; without it H2 would close and reopen the
 * file whenever the last connection closes, which costs JobRunr most of its throughput.
 */
public final class Database implements AutoCloseable {

    /** The store's owner: an H2 admin, used only by the process that opens the file itself. */
    static final String OWNER = "jobdeck";
    /**
     * Workers and scripts log in as this user through the console's TCP server: it reads and writes the rows of every
     * table but is no admin, so it can define no function and read or write no file (decision 22).
     */
    static final String APPLICATION_USER = "JOBDECK_APP";

    static {
        bindToLoopback();
        H2SpinGuard.install(Database.class.getClassLoader());
    }

    /**
     * H2 reads {@code h2.bindAddress} once, when its first class loads, and then binds every server socket
     * to it: set before any H2 code runs so the store is never served beyond 127.0.0.1.
     */
    static void bindToLoopback() {
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /** Set while a process has the file open; still set at the next open means that process died. */
    static final String IN_USE = "store.inUse";

    private final HikariDataSource dataSource;
    private final DataDirectory directory;
    private final boolean owner;
    private final SqlDialect dialect;
    private final GroupCommit groupCommit;
    private final StoreFailures failures;
    private boolean recoveredFromUncleanShutdown;

    /** The application user's password, in the process that opened a served store; else null. */
    private String applicationPassword;

    private Database(HikariDataSource dataSource, DataDirectory directory, boolean owner, StoreFailures failures) {
        this(dataSource, directory, owner, failures, SqlDialect.H2);
    }

    private Database(HikariDataSource dataSource, DataDirectory directory, boolean owner, StoreFailures failures,
                     SqlDialect dialect) {
        this.dataSource = dataSource;
        this.directory = directory;
        this.owner = owner;
        this.dialect = dialect;
        this.groupCommit = new GroupCommit(dataSource);
        this.failures = failures;
    }

    /**
     * Notes that the file is open; if the last owner never cleared that note (it was killed), first checks every
     * secondary index against its table and rebuilds those that disagree: see {@link IndexRepair}.
     */
    private void markInUse() throws SQLException {
        Settings settings = new Settings(dataSource);
        if ("true".equals(settings.readAll(IN_USE).get(IN_USE))) {
            IndexRepair.repairSecondaryIndexes(dataSource);
            recoveredFromUncleanShutdown = true;
        }
        settings.replaceAll(IN_USE, java.util.Map.of(IN_USE, "true"));
    }

    /** The password workers and scripts log in with, kept to write it back with the store (decision 21); or null. */
    String applicationPassword() {
        return applicationPassword;
    }

    /** Whether this process opened the file itself (and holds the directory lock), rather than connecting to a console. */
    public boolean ownsFile() {
        return owner;
    }

    /**
     * The store in words, for what the console says of it: "The database in DIR" (H2), or "The PostgreSQL store at
     * HOST:PORT/DB" (never a password: the pool's URL carries none).
     */
    public String describe() {
        if (dialect == SqlDialect.H2) {
            return "The database in " + directory.path();
        }
        return "The PostgreSQL store at " + OpenFailures.withoutSecrets(dataSource.getJdbcUrl()).replaceFirst("^jdbc:postgresql://", "");
    }

    /** Which database the store lives in: the embedded H2 file, or a PostgreSQL server shared by hosts anywhere. */
    public SqlDialect dialect() {
        return dialect;
    }

    /** Whether the previous owner of the file ended without closing it (crash, {@code kill -9}, power loss). */
    public boolean recoveredFromUncleanShutdown() {
        return recoveredFromUncleanShutdown;
    }

    /** Opens (or creates) the database in {@code directory}; the caller must already hold its {@link DirectoryLock}. */
    public static Database open(DataDirectory directory, int maxConnections) throws StoreException {
        return openFile(directory, directory.databaseName(), directory.databaseFile(), "jobdeck-h2", maxConnections,
                StoreMigrations.STORE, true, "");
    }

    /**
     * As {@link #open}, for a one-shot command: H2 does not spend its 200 ms of compaction when it closes the file,
     * which on a fragmented million-job store took over a second of each {@code status}. A console compacts the store
     * (decisions 26 and 33); a store only ever opened by scripts is compacted by the console's next start.
     */
    public static Database openBriefly(DataDirectory directory, int maxConnections) throws StoreException {
        return openFile(directory, directory.databaseName(), directory.databaseFile(), "jobdeck-h2", maxConnections,
                StoreMigrations.STORE, true, ";MAX_COMPACT_TIME=0");
    }

    /**
     * Opens (or creates) the built-in sink's mailbox, a database file of its own next to the store (decision 15):
     * what a stand-in SMTP server records commits apart from the ledger and the jobs. Same caller rules as
     * {@link #open}.
     */
    public static Database openSinkMailbox(DataDirectory directory, int maxConnections) throws StoreException {
        return openFile(directory, directory.sinkMailboxName(), directory.sinkMailboxFile(), "jobdeck-sink-h2",
                maxConnections, StoreMigrations.SINK, false, "");
    }

    private static Database openFile(DataDirectory directory, String h2Name, Path file, String poolName,
                                     int maxConnections, String migrations, boolean served, String settings)
            throws StoreException {
        directory.prepareForWriting();
        StoreFileCheck.requireH2OrAbsent(file);
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        // TRACE_LEVEL_FILE=4: H2's own messages (a full disk, a damaged page) go to SLF4J, so to the process's log,
        // and no jobdeck.trace.db is written (such a file re-created a deleted data directory and grew on a full
        // disk; decisions 18 and 21).
        config.setJdbcUrl("jdbc:h2:" + h2Name
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;TRACE_LEVEL_FILE=4" + settings);
        config.setUsername(OWNER);
        config.setPassword(directory.databasePassword());
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(10_000);
        StoreFailures failures = new StoreFailures();
        config.setExceptionOverride(failures);
        try {
            HikariDataSource dataSource = new HikariDataSource(config);
            Database database = new Database(dataSource, directory, true, failures);
            StoreMigrations.migrate(dataSource, SqlDialect.H2, migrations);
            if (served) {
                database.applicationPassword = directory.applicationPassword();
                allowApplicationUser(dataSource, database.applicationPassword);
            }
            database.markInUse();
            return database;
        } catch (HikariPool.PoolInitializationException e) {
            throw OpenFailures.translate(directory, file, e.getCause() == null ? e : e.getCause());
        } catch (SQLException e) {
            throw OpenFailures.translate(directory, file, e);
        }
    }

    /**
     * Opens a store that lives in PostgreSQL (issue 17): a pool of {@code maxConnections} to {@code jdbcUrl}, shared by
     * JobRunr and JobDeck's tables, which this brings up to date first (Flyway takes PostgreSQL's lock for it, so
     * hosts starting together migrate once). No process owns such a store: every console and host is a peer, on any
     * machine; {@code directory} keeps only this process's own files (logs, lock, journal).
     */
    public static Database openShared(DataDirectory directory, String jdbcUrl, String user, String password,
                                      int maxConnections) throws StoreException {
        directory.prepareForWriting();
        HikariConfig config = new HikariConfig();
        config.setPoolName("jobdeck-postgresql");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(10_000);
        StoreFailures failures = new StoreFailures();
        config.setExceptionOverride(failures);
        try {
            HikariDataSource dataSource = new HikariDataSource(config);
            try {
                refuseForeignDatabase(dataSource, OpenFailures.shown(jdbcUrl, user));
                StoreMigrations.migrate(dataSource, SqlDialect.POSTGRESQL, StoreMigrations.STORE);
            } catch (SQLException | StoreException | RuntimeException e) {
                dataSource.close();
                throw e;
            }
            return new Database(dataSource, directory, false, failures, SqlDialect.POSTGRESQL);
        } catch (HikariPool.PoolInitializationException e) {
            throw OpenFailures.connectFailure(OpenFailures.shown(jdbcUrl, user), user, password != null, e.getCause() == null ? e : e.getCause());
        } catch (SQLException e) {
            throw new StoreException("Cannot open the PostgreSQL store " + OpenFailures.shown(jdbcUrl, user) + ": "
                    + OpenFailures.firstLine(e.getMessage()), e);
        }
    }

    /**
     * A database that holds tables but none of JobDeck's is someone else's: migrating would add JobDeck's tables next
     * to theirs. Refused before anything is created in it.
     */
    private static void refuseForeignDatabase(DataSource dataSource, String store) throws SQLException, StoreException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             java.sql.ResultSet tables = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE table_name IN"
                     + " ('jd_schema_history', 'jd_email')) FROM information_schema.tables WHERE table_schema NOT IN"
                     + " ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'")) {
            tables.next();
            if (tables.getLong(1) > 0 && tables.getLong(2) == 0) {
                throw new StoreException("The PostgreSQL database " + store + " is not empty and is not a JobDeck store"
                        + " (it has " + tables.getLong(1) + " table(s), none of JobDeck's); give an empty database.");
            }
        }
    }

    /**
     * Creates (or brings up to date) the application user that workers and scripts log in as: rights on rows of every
     * table in the schema, present and future (JobRunr creates its tables after this), and nothing else. Its password
     * is set each time, so a regenerated {@code db.app.password} file works at the next start.
     */
    private static void allowApplicationUser(DataSource dataSource, String password) throws SQLException {
        String quoted = "'" + password.replace("'", "''") + "'";
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE USER IF NOT EXISTS " + APPLICATION_USER + " PASSWORD " + quoted);
            statement.execute("ALTER USER " + APPLICATION_USER + " SET PASSWORD " + quoted);
            statement.execute("ALTER USER " + APPLICATION_USER + " ADMIN FALSE");
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA PUBLIC TO " + APPLICATION_USER);
        }
    }

    /**
     * Connects to the database a console serves (see {@link StoreServer}) from another process: a worker
     * host or a script. The endpoint file is read on each new connection, so the pool finds a console that
     * was restarted, even on another port. Nothing is migrated: the console owns the schema.
     */
    public static Database connect(DataDirectory directory, int maxConnections) throws StoreException {
        return connect(directory, maxConnections, java.time.Duration.ZERO);
    }

    /**
     * As {@link #connect(DataDirectory, int)}, with every read from the console bounded by {@code networkTimeout}
     * (zero: unbounded), so a one-shot command never hangs on a console that stopped answering.
     */
    public static Database connect(DataDirectory directory, int maxConnections, java.time.Duration networkTimeout)
            throws StoreException {
        Database.bindToLoopback();
        HikariConfig config = new HikariConfig();
        config.setPoolName("jobdeck-h2-client");
        config.setDataSource(new ServedDataSource(directory, APPLICATION_USER, directory.applicationPassword(),
                (int) networkTimeout.toMillis()));
        StoreFailures failures = new StoreFailures();
        config.setExceptionOverride(failures);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(5_000);
        try {
            return new Database(new HikariDataSource(config), directory, false, failures);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String why = OpenFailures.timedOut(cause) ? "the console did not answer within " + networkTimeout.toSeconds()
                    + " s. Is it stopped or overloaded?" : OpenFailures.firstLine(cause.getMessage());
            throw new StoreUnreachableException("Cannot reach the database that the JobDeck console serves for "
                    + directory.path() + ": " + why, cause);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The one {@link GroupCommit} of this pool: the ledger's in the store, the sink's in its mailbox. */
    public GroupCommit groupCommit() {
        return groupCommit;
    }

    public DataDirectory directory() {
        return directory;
    }

    /** The last time H2 gave up on its file, as the pool heard it: read by the {@link StoreHealthMonitor}. */
    public StoreFailures failures() {
        return failures;
    }

    /** Closes every pooled connection as soon as it is free: the next ones open the (re-opened) file afresh. */
    public void evictConnections() {
        dataSource.getHikariPoolMXBean().softEvictConnections();
    }

    @Override
    public void close() {
        if (owner && dialect == SqlDialect.H2 && !dataSource.isClosed()) {
            try {
                new Settings(dataSource).replaceAll(IN_USE, java.util.Map.of(IN_USE, "false"));
            } catch (SQLException e) {
                System.getLogger(Database.class.getName()).log(System.Logger.Level.WARNING,
                        "Cannot record a clean shutdown; indexes will be rebuilt at the next start", e);
            }
        }
        dataSource.close();
    }
}
