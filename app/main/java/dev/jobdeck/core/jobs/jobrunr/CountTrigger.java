package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.store.LedgerMarks;
import dev.jobdeck.core.store.TriggerColumns;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Notes every change of a job's state in {@code jd_job_count_change} (+1 for the new state, -1 for the old), in the
 * writer's own transaction, so the counters roll back with it. H2 runs it in the process that opened the database
 * file for every user's writes; only inserts, so concurrent writers never wait on one counter row. Created by
 * {@link JobRunrSchema#migrate}; it must stay cheap and never fail, since JobRunr's every write goes through it.
 *
 * <p>A change that moves the survival report (a job created or removed, or a state of another kind: pending, failed,
 * deleted, succeeded) also marks the job for the report's kept counts ({@link LedgerMarks}, decision 32); a job
 * going from Enqueued to Processing does not.
 */
public class CountTrigger implements Trigger {

    private static final String NOTE = "INSERT INTO " + JobRunrSchema.COUNT_CHANGE_TABLE + " (state, delta) VALUES (?, ?)";

    private static final Set<String> PENDING = JobStates.PENDING.stream().map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());

    private int stateColumn = -1;
    private int idColumn = -1;

    @Override
    public void init(Connection connection, String schema, String trigger, String table, boolean before, int type)
            throws SQLException {
        stateColumn = TriggerColumns.position(connection, schema, table, "STATE");
        idColumn = TriggerColumns.position(connection, schema, table, "ID");
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        Object before = oldRow == null ? null : oldRow[stateColumn];
        Object after = newRow == null ? null : newRow[stateColumn];
        if (Objects.equals(before, after)) {
            return;
        }
        try (PreparedStatement note = connection.prepareStatement(NOTE)) {
            if (before != null) {
                note.setString(1, before.toString());
                note.setInt(2, -1);
                note.addBatch();
            }
            if (after != null) {
                note.setString(1, after.toString());
                note.setInt(2, 1);
                note.addBatch();
            }
            note.executeBatch();
        }
        if (!Objects.equals(reportKind(before), reportKind(after))) {
            try (PreparedStatement mark = connection.prepareStatement(LedgerMarks.MARK_JOB)) {
                mark.setObject(1, (newRow != null ? newRow : oldRow)[idColumn]);
                mark.executeUpdate();
            }
        }
    }

    /** What a state means to the survival report: pending states are one, every other state its own. */
    private static String reportKind(Object state) {
        if (state == null) {
            return null;
        }
        String name = state.toString();
        return PENDING.contains(name) ? "PENDING" : name;
    }
}
