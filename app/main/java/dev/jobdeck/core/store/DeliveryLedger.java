package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The delivery ledger: every attempt, when it ran, where, and what the SMTP server answered. */
public final class DeliveryLedger {

    private final DataSource dataSource;

    public DeliveryLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the start of an attempt and returns its number (1 for the first). */
    public int begin(UUID jobId, UUID emailId, String host, String messageId, Instant now) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            int attempt;
            try (PreparedStatement next = connection.prepareStatement(
                    "SELECT COALESCE(MAX(attempt), 0) + 1 FROM jd_delivery_attempt WHERE job_id = ?")) {
                next.setString(1, jobId.toString());
                try (ResultSet rows = next.executeQuery()) {
                    rows.next();
                    attempt = rows.getInt(1);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jd_delivery_attempt"
                    + " (job_id, attempt, email_id, host, started_at, outcome, message_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, jobId.toString());
                insert.setInt(2, attempt);
                insert.setObject(3, emailId);
                insert.setString(4, host);
                insert.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                insert.setString(6, DeliveryAttempt.Outcome.STARTED.name());
                insert.setString(7, messageId);
                insert.executeUpdate();
            }
            return attempt;
        });
    }

    public void finish(UUID jobId, int attempt, DeliveryAttempt.Outcome outcome, Integer smtpCode, String smtpReply,
                       Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE jd_delivery_attempt"
                     + " SET finished_at = ?, outcome = ?, smtp_code = ?, smtp_reply = ? WHERE job_id = ? AND attempt = ?")) {
            update.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            update.setString(2, outcome.name());
            update.setObject(3, smtpCode);
            update.setString(4, truncate(smtpReply, 2000));
            update.setString(5, jobId.toString());
            update.setInt(6, attempt);
            update.executeUpdate();
        }
    }

    /** True when an earlier attempt of this job already got the server's acceptance. */
    public boolean alreadySent(UUID jobId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT 1 FROM jd_delivery_attempt WHERE job_id = ? AND outcome = 'SENT' LIMIT 1")) {
            query.setString(1, jobId.toString());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    public List<DeliveryAttempt> attemptsOf(UUID jobId) throws SQLException {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT * FROM jd_delivery_attempt WHERE job_id = ? ORDER BY attempt")) {
            query.setString(1, jobId.toString());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int code = rows.getInt("smtp_code");
                    attempts.add(new DeliveryAttempt(
                            UUID.fromString(rows.getString("job_id").trim()),
                            rows.getInt("attempt"),
                            rows.getObject("email_id", UUID.class),
                            rows.getString("host"),
                            Outbox.instant(rows, "started_at"),
                            Outbox.instant(rows, "finished_at"),
                            DeliveryAttempt.Outcome.valueOf(rows.getString("outcome")),
                            rows.wasNull() ? null : code,
                            rows.getString("smtp_reply"),
                            rows.getString("message_id")));
                }
            }
        }
        return attempts;
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
