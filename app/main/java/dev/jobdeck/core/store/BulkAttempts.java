package dev.jobdeck.core.store;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Each attempt at an e-mail of a bulk job names that bulk job ({@code jd_delivery_attempt.bulk_job_id}), set by this
 * trigger as the row is inserted, so the Jobs screen reads a bulk job's latest attempt and its most tries through an
 * index instead of through every recipient's attempts (decision 25). A trigger rather than a column the ledger
 * writes: the ledger's statements stay as they are, and rows journaled by any process get it. Created by the store's
 * migrations (decision 34).
 */
public final class BulkAttempts implements Trigger {

    private static final String LOOKUP = "SELECT bulk_job_id FROM jd_email WHERE id = ?";

    private int emailColumn = -1;
    private int bulkColumn = -1;

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
