package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * What a console asks of a host it did not start, on this machine or another (issue 17, decision 40): a row in
 * {@code jd_host_command}, which every host polls for its own id. The store is the only thing console and host share,
 * so this works wherever they run; a host that is gone leaves its commands untaken.
 */
public final class HostCommands {

    public enum Command {
        /** Take no new work, let running jobs finish within the deadline, hand back the rest, and stop. */
        DRAIN,
        /** Hand back the running jobs and stop now. */
        STOP
    }

    /** A command as the host takes it. */
    public record Request(UUID id, UUID hostId, Command command, Duration drain, Instant requestedAt, String requestedBy) {
    }

    /** Where a command is: requested, taken by its host, done (with what happened). */
    public record Progress(UUID id, Instant takenAt, Instant doneAt, String outcome) {

        public boolean taken() {
            return takenAt != null;
        }

        public boolean done() {
            return doneAt != null;
        }
    }

    /** The longest drain a command may ask for: an hour, beyond which an operator means a stop. */
    public static final Duration LONGEST_DRAIN = Duration.ofHours(1);

    private final DataSource dataSource;
    private final String requestedBy;
    private final Clock clock;

    /** @param requestedBy who asks, as the table records it: e.g. {@code console-1 on build-7 (pid 4242)} */
    public HostCommands(DataSource dataSource, String requestedBy, Clock clock) {
        this.dataSource = dataSource;
        this.requestedBy = requestedBy.length() <= 255 ? requestedBy : requestedBy.substring(0, 255);
        this.clock = clock;
    }

    /**
     * Asks host {@code hostId} to drain (within {@code drain}) or stop; the host carries it out within about a second
     * if it runs. Returns the command's id, to follow with {@link #progress}.
     */
    public UUID request(UUID hostId, Command command, Duration drain) throws SQLException {
        if (hostId == null || command == null) {
            throw new IllegalArgumentException("Choose a host and a command.");
        }
        Duration deadline = drain == null ? Duration.ZERO : drain;
        if (command == Command.DRAIN && (deadline.isNegative() || deadline.isZero() || deadline.compareTo(LONGEST_DRAIN) > 0)) {
            throw new IllegalArgumentException("A drain deadline is between 1 s and " + LONGEST_DRAIN.toMinutes() + " min.");
        }
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO jd_host_command (id, host_id, command,"
                     + " drain_seconds, requested_at, requested_by) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setObject(2, hostId);
            insert.setString(3, command.name());
            insert.setInt(4, command == Command.STOP ? 0 : (int) deadline.toSeconds());
            insert.setObject(5, Outbox.utc(clock.instant()));
            insert.setString(6, requestedBy);
            insert.executeUpdate();
        }
        return id;
    }

    /**
     * The oldest command for {@code hostId} not yet taken, marked taken: the host's poll, one indexed read when there is
     * none. Two takers of one command (a host restarted under its id) cannot both have it.
     */
    public Optional<Request> take(UUID hostId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Request found;
            try (PreparedStatement select = connection.prepareStatement("SELECT id, command, drain_seconds, requested_at,"
                    + " requested_by FROM jd_host_command WHERE host_id = ? AND taken_at IS NULL ORDER BY requested_at"
                    + " FETCH FIRST 1 ROWS ONLY")) {
                select.setObject(1, hostId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    found = new Request(rows.getObject(1, UUID.class), hostId, Command.valueOf(rows.getString(2)),
                            Duration.ofSeconds(rows.getInt(3)), rows.getObject(4, OffsetDateTime.class).toInstant(),
                            rows.getString(5));
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE jd_host_command SET taken_at = ? WHERE id = ? AND taken_at IS NULL")) {
                update.setObject(1, Outbox.utc(clock.instant()));
                update.setObject(2, found.id());
                return update.executeUpdate() == 1 ? Optional.of(found) : Optional.empty();
            }
        }
    }

    /** Records how a taken command ended, e.g. "drained; 2 job(s) handed back". */
    public void done(UUID commandId, String outcome) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE jd_host_command SET done_at = ?, outcome = ? WHERE id = ?")) {
            update.setObject(1, Outbox.utc(clock.instant()));
            update.setString(2, outcome == null ? null : outcome.substring(0, Math.min(outcome.length(), 1000)));
            update.setObject(3, commandId);
            update.executeUpdate();
        }
    }

    public Optional<Progress> progress(UUID commandId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT taken_at, done_at, outcome FROM jd_host_command WHERE id = ?")) {
            select.setObject(1, commandId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                OffsetDateTime taken = rows.getObject(1, OffsetDateTime.class);
                OffsetDateTime done = rows.getObject(2, OffsetDateTime.class);
                return Optional.of(new Progress(commandId, taken == null ? null : taken.toInstant(),
                        done == null ? null : done.toInstant(), rows.getString(3)));
            }
        }
    }

    /** Whether a command for {@code hostId} waits or runs now (taken, not done): the Hosts screen shows it draining. */
    public boolean pending(UUID hostId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM jd_host_command WHERE host_id = ?"
                     + " AND done_at IS NULL FETCH FIRST 1 ROWS ONLY")) {
            select.setObject(1, hostId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }
}
