package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rows of settled e-mails going for good, inside the retention pass's commit: their attempts, the e-mails, and the
 * attachments of a batch with none left; what they leave behind is added to {@code jd_ledger_total} (per batch and for
 * everything, {@link RetentionPass#EVERYTHING}), so the survival report counts them as before (decision 26).
 */
final class SettledEmails {

    private SettledEmails() {
    }

    /** Removes settled e-mails with their attempts and, once their batch has none left, its attachments. */
    static void remove(Connection connection, List<UUID> ids, Map<UUID, UUID> batchOf) throws SQLException {
        Map<UUID, Long> purged = new HashMap<>();
        Map<UUID, Long> twice = new HashMap<>();
        Set<UUID> receivedTwice = receivedTwice(connection, ids);
        for (UUID id : ids) {
            count(purged, batchOf.get(id));
            if (receivedTwice.contains(id)) {
                count(twice, batchOf.get(id));
            }
        }
        deleteWhereIn(connection, "DELETE FROM jd_delivery_attempt WHERE email_id", ids);
        deleteWhereIn(connection, "DELETE FROM jd_email WHERE id", ids);
        addToTotals(connection, "purged", purged);
        addToTotals(connection, "re_executed", twice);
        Set<UUID> batches = new HashSet<>(batchOf.values());
        batches.remove(null);
        try (PreparedStatement attachments = SqlDialect.prepare(connection, "DELETE FROM jd_attachment"
                + " WHERE batch_id = ? AND NOT EXISTS (SELECT 1 FROM jd_email e WHERE e.batch_id = ?)")) {
            for (UUID batch : batches) {
                attachments.setObject(1, batch);
                attachments.setObject(2, batch);
                attachments.executeUpdate();
            }
        }
    }

    /** Those of {@code ids} the report counts as possibly received twice (decision 23). */
    private static Set<UUID> receivedTwice(Connection connection, List<UUID> ids) throws SQLException {
        String sql = SurvivalReports.MAYBE_TWICE + " AND e.id IN (" + placeholders(ids.size()) + ")"
                + " AND e.id IN (SELECT r.email_id FROM jd_delivery_attempt r WHERE r.attempt >= 2)"
                + " GROUP BY e.id HAVING " + SurvivalReports.TWICE;
        Set<UUID> twice = new HashSet<>();
        try (PreparedStatement query = SqlDialect.prepare(connection, sql)) {
            for (int i = 0; i < ids.size(); i++) {
                query.setObject(i + 1, ids.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    twice.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return twice;
    }

    private static void deleteWhereIn(Connection connection, String delete, List<UUID> ids) throws SQLException {
        try (PreparedStatement statement = SqlDialect.prepare(connection, delete + " IN (" + placeholders(ids.size()) + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                statement.setObject(i + 1, ids.get(i));
            }
            statement.executeUpdate();
        }
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    static void addToTotals(Connection connection, String column, Map<UUID, Long> amounts) throws SQLException {
        try (PreparedStatement update = SqlDialect.prepare(connection, 
                "UPDATE jd_ledger_total SET " + column + " = " + column + " + ? WHERE batch_id = ?");
             PreparedStatement insert = SqlDialect.prepare(connection, 
                     "INSERT INTO jd_ledger_total (batch_id, " + column + ") VALUES (?, ?)")) {
            for (Map.Entry<UUID, Long> amount : amounts.entrySet()) {
                update.setLong(1, amount.getValue());
                update.setObject(2, amount.getKey());
                if (update.executeUpdate() == 0) {
                    insert.setObject(1, amount.getKey());
                    insert.setLong(2, amount.getValue());
                    insert.executeUpdate();
                }
            }
        }
    }

    /** One more for the e-mail's batch and for everything; e-mails with no batch (recurring runs) count only there. */
    static void count(Map<UUID, Long> amounts, UUID batch) {
        if (batch != null) {
            amounts.merge(batch, 1L, Long::sum);
        }
        amounts.merge(RetentionPass.EVERYTHING, 1L, Long::sum);
    }
}
