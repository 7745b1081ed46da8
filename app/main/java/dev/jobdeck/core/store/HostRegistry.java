package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Every host process that ran on this store ({@code jd_host}): each registers itself when it starts and
 * records how it ended. What JobRunr's own server table forgets (a stopped server's row is deleted), this keeps:
 * the pid, the exit, and the reason, so the Hosts screen and the survival report can say what happened.
 */
public final class HostRegistry {

    private static final System.Logger LOG = System.getLogger(HostRegistry.class.getName());
    private static final String COLUMNS = "id, name, kind, pid, workers, started_at, stopped_at, stop_reason, exit_code,"
            + " machine, address";
    private static final List<String> KEY = List.of("id");
    private static final List<String> OTHERS = List.of("name", "kind", "pid", "workers", "started_at", "stopped_at",
            "stop_reason", "exit_code", "machine", "address");
    private static final int MACHINE_LENGTH = 255;
    private static final int ADDRESS_LENGTH = 100;

    private final DataSource dataSource;
    /** The store's dialect, as the opener knows it ({@code Database.dialect()}). */
    private final SqlDialect dialect;
    /** This machine's name, looked up once (a name service may be slow to answer). */
    private volatile String machine;

    public HostRegistry(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = java.util.Objects.requireNonNull(dialect, "dialect");
    }

    /**
     * The name of the machine this process runs on: what the operating system calls it, else {@code HOSTNAME}, else
     * "unknown". Shown on the Hosts screen beside each host, so an operator knows where a host of the cluster runs.
     */
    public String machine() {
        String known = machine;
        if (known == null) {
            known = machineName(System.getenv("HOSTNAME"));
            machine = known;
        }
        return known;
    }

    static String machineName(String hostnameVariable) {
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return clip(name, MACHINE_LENGTH);
            }
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "This machine's name is not known to its name service: " + e.getMessage());
        }
        return hostnameVariable == null || hostnameVariable.isBlank() ? "unknown" : clip(hostnameVariable, MACHINE_LENGTH);
    }

    /**
     * The address this process reaches the store from: on PostgreSQL the server's view of the connection's client
     * address (none over a Unix socket: "local"); on H2, served on or opened from this machine, 127.0.0.1.
     */
    static String addressOf(Connection connection) throws SQLException {
        if (SqlDialect.of(connection) != SqlDialect.POSTGRESQL) {
            return "127.0.0.1";
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT host(inet_client_addr())");
             ResultSet rows = select.executeQuery()) {
            String address = rows.next() ? rows.getString(1) : null;
            return address == null ? "local" : clip(address, ADDRESS_LENGTH);
        }
    }

    private static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

    /** Records a host as it starts, with the machine and store address of this process unless the record has them. */
    public void register(HostRecord host) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     SqlDialect.of(connection).upsert("jd_host", KEY, OTHERS))) {
            String machineOfHost = host.machine() == null ? machine() : host.machine();
            String address = host.address() == null ? addressOf(connection) : host.address();
            insert.setObject(1, host.id());
            insert.setString(2, host.name());
            insert.setString(3, host.kind().name());
            insert.setObject(4, host.pid());
            insert.setInt(5, host.workers());
            insert.setObject(6, Outbox.utc(host.startedAt()));
            insert.setObject(7, host.stoppedAt() == null ? null : Outbox.utc(host.stoppedAt()));
            insert.setString(8, host.stopReason());
            insert.setObject(9, host.exitCode());
            insert.setString(10, machineOfHost);
            insert.setString(11, address);
            insert.executeUpdate();
        }
    }

    /** Records the end of a host once; a later, less informed report (e.g. a timeout) does not overwrite it. */
    public boolean markStopped(UUID id, Instant at, String reason, Integer exitCode) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE jd_host SET stopped_at = ?, stop_reason = ?,"
                     + " exit_code = ? WHERE id = ? AND stopped_at IS NULL")) {
            update.setObject(1, Outbox.utc(at));
            update.setString(2, reason == null ? null : reason.substring(0, Math.min(reason.length(), 1000)));
            update.setObject(3, exitCode);
            update.setObject(4, id);
            return update.executeUpdate() == 1;
        }
    }

    /** Asks a host to drain for up to {@code seconds} when it is next told to stop (read by the worker's SIGTERM hook). */
    public void requestDrain(UUID id, int seconds) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE jd_host SET drain_seconds = ? WHERE id = ?")) {
            update.setInt(1, seconds);
            update.setObject(2, id);
            update.executeUpdate();
        }
    }

    public OptionalInt drainSeconds(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT drain_seconds FROM jd_host WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    int seconds = rows.getInt(1);
                    return rows.wasNull() ? OptionalInt.empty() : OptionalInt.of(seconds);
                }
                return OptionalInt.empty();
            }
        }
    }

    public Optional<HostRecord> find(UUID id) throws SQLException {
        List<HostRecord> found = query("WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Hosts not recorded as stopped: running now, or killed without anyone noticing yet. */
    public List<HostRecord> unstopped() throws SQLException {
        return query("WHERE stopped_at IS NULL ORDER BY started_at");
    }

    /** The most recent hosts first, at most {@code limit}. */
    public List<HostRecord> recent(int limit) throws SQLException {
        return query("ORDER BY stopped_at IS NULL DESC, started_at DESC LIMIT " + Math.max(1, limit));
    }

    /** The next free number for a host name such as {@code worker-3}. */
    public int nextNumber(String prefix) throws SQLException {
        int highest = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT name FROM jd_host WHERE name LIKE ?")) {
            select.setString(1, prefix + "-%");
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String suffix = rows.getString(1).substring(prefix.length() + 1);
                    if (!suffix.isEmpty() && suffix.chars().allMatch(Character::isDigit) && suffix.length() < 9) {
                        highest = Math.max(highest, Integer.parseInt(suffix));
                    }
                }
            }
        }
        return highest + 1;
    }

    private List<HostRecord> query(String where, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM jd_host " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<HostRecord> hosts = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long pid = rows.getLong("pid");
                    Long pidOrNull = rows.wasNull() ? null : pid;
                    int exit = rows.getInt("exit_code");
                    Integer exitOrNull = rows.wasNull() ? null : exit;
                    OffsetDateTime stopped = rows.getObject("stopped_at", OffsetDateTime.class);
                    hosts.add(new HostRecord(rows.getObject("id", UUID.class), rows.getString("name"),
                            HostRecord.Kind.valueOf(rows.getString("kind")), pidOrNull, rows.getInt("workers"),
                            rows.getObject("started_at", OffsetDateTime.class).toInstant(),
                            stopped == null ? null : stopped.toInstant(), rows.getString("stop_reason"), exitOrNull,
                            rows.getString("machine"), rows.getString("address")));
                }
            }
            return hosts;
        }
    }

    /**
     * Whether the store is shared by consoles and hosts of any machine (PostgreSQL, issue 17) rather than owned by one
     * console (H2): then a console's start must not take hosts it did not see die for dead.
     */
    public boolean onSharedStore() {
        return dialect == SqlDialect.POSTGRESQL;
    }
}
