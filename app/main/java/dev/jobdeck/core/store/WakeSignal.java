package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * "Jobs are due now", told to every process on the store: a counter in {@code jd_signal} that whoever queues jobs
 * raises and every host's process reads a few times a second (decision 20). One indexed row, so a read costs a round
 * trip and nothing else; on PostgreSQL, {@code LISTEN/NOTIFY} could replace the reads without changing the callers.
 */
public final class WakeSignal {

    private static final String NAME = "jobs-due";

    private final DataSource dataSource;

    public WakeSignal(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Tells every process that jobs are due now. */
    public void raise() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE jd_signal SET generation = generation + 1 WHERE name = ?")) {
            update.setString(1, NAME);
            update.executeUpdate();
        }
    }

    /** The counter now: a value other than the last one read means jobs were queued since. */
    public long generation() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT generation FROM jd_signal WHERE name = ?")) {
            query.setString(1, NAME);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }
}
