package dev.jobdeck.core.store;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Each attempt at an e-mail of a bulk job names that bulk job ({@code jd_delivery_attempt.bulk_job_id}), set by this
 * trigger as the row is inserted, so the Jobs screen reads a bulk job's latest attempt and its most tries through an
 * index instead of through every recipient's attempts (decision 25). A trigger rather than a column the ledger
 * writes: the ledger's statements stay as they are, and rows journaled by any process get it.
 */
public final class BulkAttempts implements Trigger {

    private static final String TRIGGER = "jd_attempt_bulk_trigger";
    private static final String LOOKUP = "SELECT bulk_job_id FROM jd_email WHERE id = ?";

    private int emailColumn = -1;
    private int bulkColumn = -1;

    /** Adds the column (filled for the attempts already there, once), its indexes and the trigger. Owner only. */
    static void migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            boolean hasColumn;
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_NAME = 'JD_DELIVERY_ATTEMPT' AND COLUMN_NAME = 'BULK_JOB_ID'")) {
                rows.next();
                hasColumn = rows.getLong(1) > 0;
            }
            if (!hasColumn) {
                statement.execute("ALTER TABLE jd_delivery_attempt ADD COLUMN bulk_job_id CHAR(36)");
                statement.execute("UPDATE jd_delivery_attempt a SET bulk_job_id = (SELECT e.bulk_job_id FROM jd_email e"
                        + " WHERE e.id = a.email_id) WHERE EXISTS (SELECT 1 FROM jd_email e WHERE e.id = a.email_id"
                        + " AND e.bulk_job_id IS NOT NULL)");
            }
            statement.execute("CREATE INDEX IF NOT EXISTS jd_attempt_bulk_started_idx"
                    + " ON jd_delivery_attempt (bulk_job_id, started_at)");
            statement.execute("CREATE INDEX IF NOT EXISTS jd_attempt_bulk_attempt_idx"
                    + " ON jd_delivery_attempt (bulk_job_id, attempt)");
            // A bulk job's first recipient (its row's name) is the first entry of this index for the bulk job.
            statement.execute("CREATE INDEX IF NOT EXISTS jd_email_bulk_to_idx ON jd_email (bulk_job_id, to_addr)");
            statement.execute("CREATE TRIGGER IF NOT EXISTS " + TRIGGER + " BEFORE INSERT ON jd_delivery_attempt"
                    + " FOR EACH ROW CALL '" + BulkAttempts.class.getName() + "'");
        }
    }

    @Override
    public void init(Connection connection, String schema, String trigger, String table, boolean before, int type)
            throws SQLException {
        emailColumn = TriggerColumns.position(connection, schema, table, "EMAIL_ID");
        bulkColumn = TriggerColumns.position(connection, schema, table, "BULK_JOB_ID");
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null || newRow[bulkColumn] != null || newRow[emailColumn] == null) {
            return;
        }
        try (PreparedStatement lookup = connection.prepareStatement(LOOKUP)) {
            lookup.setObject(1, newRow[emailColumn]);
            try (ResultSet rows = lookup.executeQuery()) {
                if (rows.next()) {
                    newRow[bulkColumn] = rows.getString(1);
                }
            }
        }
    }
}
