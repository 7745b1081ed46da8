package dev.jobdeck.core.store;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The survival report's per-batch counts of the open e-mails are kept, not recomputed (decision 32): {@code
 * jd_ledger_open} holds each batch's counts as last computed, and {@code jd_ledger_mark} notes every write that may
 * change them, in the writer's own transaction, so the report recomputes the marked batches only. A mark names a
 * batch, an e-mail or a job (the report finds their batches); a mark naming nothing asks for everything (a store
 * from before the counts). Marks are insert-only, so writers never wait on each other for one.
 *
 * <p>This trigger marks the writes to {@code jd_email}, {@code jd_delivery_attempt} and {@code jd_unqueued_batch};
 * the job counters' trigger marks a job whose state moves the report (decision 25). It must stay cheap and never
 * fail: every delivery goes through it. The tables and triggers are created by the store's migrations (decision 34).
 */
public final class LedgerMarks implements Trigger {

    /** A batch's counts as last computed (e-mails without a batch under {@link #NO_BATCH}). */
    public static final String OPEN_TABLE = "jd_ledger_open";
    /** Writes since: insert-only. */
    public static final String MARK_TABLE = "jd_ledger_mark";
    /** The key of e-mails that have no batch (older stores' e-mails) in the kept counts and in marks. */
    public static final UUID NO_BATCH = new UUID(0L, 1L);
    public static final String MARK_JOB = "INSERT INTO " + MARK_TABLE + " (job_id) VALUES (?)";

    private static final String MARK_BATCH = "INSERT INTO " + MARK_TABLE + " (batch_id) VALUES (?)";
    private static final String MARK_EMAIL = "INSERT INTO " + MARK_TABLE + " (email_id) VALUES (?)";

    private enum Table { EMAIL, ATTEMPT, UNQUEUED }

    private Table table;
    /** The columns whose change moves the report, per table; the first is the one marked. */
    private int[] watched;

    @Override
    public void init(Connection connection, String schema, String trigger, String tableName, boolean before, int type)
            throws SQLException {
        switch (tableName.toUpperCase(Locale.ROOT)) {
            case "JD_EMAIL" -> {
                table = Table.EMAIL;
                watched = positions(connection, schema, tableName, "BATCH_ID", "KIND", "JOB_ID", "BULK_JOB_ID",
                        "SETTLED_AT");
            }
            case "JD_DELIVERY_ATTEMPT" -> {
                table = Table.ATTEMPT;
                watched = positions(connection, schema, tableName, "EMAIL_ID", "OUTCOME", "ATTEMPT", "JOB_ID");
            }
            case "JD_UNQUEUED_BATCH" -> {
                table = Table.UNQUEUED;
                watched = positions(connection, schema, tableName, "BATCH_ID");
            }
            default -> throw new SQLException("The ledger's marks do not watch " + tableName);
        }
    }

    private static int[] positions(Connection connection, String schema, String table, String... columns)
            throws SQLException {
        int[] positions = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            positions[i] = TriggerColumns.position(connection, schema, table, columns[i]);
        }
        return positions;
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        if (oldRow != null && newRow != null && unchanged(oldRow, newRow)) {
            return;
        }
        if (oldRow != null) {
            mark(connection, oldRow);
        }
        if (newRow != null && (oldRow == null || !Objects.equals(oldRow[watched[0]], newRow[watched[0]]))) {
            mark(connection, newRow);
        }
    }

    private boolean unchanged(Object[] oldRow, Object[] newRow) {
        for (int column : watched) {
            if (!Objects.equals(oldRow[column], newRow[column])) {
                return false;
            }
        }
        return true;
    }

    private void mark(Connection connection, Object[] row) throws SQLException {
        Object key = row[watched[0]];
        String sql = switch (table) {
            case EMAIL, UNQUEUED -> MARK_BATCH;
            case ATTEMPT -> MARK_EMAIL;
        };
        if (key == null) {
            if (table != Table.EMAIL) {
                return;
            }
            key = NO_BATCH;
        }
        try (PreparedStatement mark = connection.prepareStatement(sql)) {
            mark.setObject(1, key);
            mark.executeUpdate();
        }
    }
}
