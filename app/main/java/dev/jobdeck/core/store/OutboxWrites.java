package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.Attachment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a batch goes into the outbox, on the caller's transaction: its attachments, its e-mails a hundred rows to a
 * statement, the note that its jobs are still to be created ({@link UnqueuedBatches}), and the key it was sent under.
 */
final class OutboxWrites {

    private OutboxWrites() {
    }

    static Optional<Outbox.KeyedBatch> keyedBatch(Connection connection, String key) throws SQLException {
        try (PreparedStatement query = SqlDialect.prepare(connection, 
                "SELECT batch_id, fingerprint, emails FROM jd_batch_key WHERE batch_key = ?")) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(new Outbox.KeyedBatch(key, rows.getObject(1, UUID.class), rows.getString(2),
                        rows.getInt(3))) : Optional.empty();
            }
        }
    }

    static void insertKey(Connection connection, Outbox.NewBatch batch, int emails) throws SQLException {
        try (PreparedStatement insert = SqlDialect.prepare(connection, "INSERT INTO jd_batch_key"
                + " (batch_key, batch_id, fingerprint, emails, created_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            insert.setString(1, batch.key().key());
            insert.setObject(2, batch.batchId());
            insert.setString(3, batch.key().fingerprint());
            insert.setInt(4, emails);
            insert.executeUpdate();
        }
    }

    /**
     * The batch's attachments and e-mails, on the caller's transaction, {@link #ROWS_PER_INSERT} rows to a statement:
     * over a served store each statement is a round trip (H2's network protocol executes a JDBC batch statement by
     * statement), and one per row cost a {@code send} of 10,000 more than a second.
     */
    static void writeRows(Connection connection, List<OutboxEmail> emails, List<OutboxAttachment> attachments,
                                  UUID memoryHost, Function<OutboxEmail, UUID> bulkJobOf) throws SQLException {
        insertAttachments(connection, attachments);
        int full = emails.size() / ROWS_PER_INSERT * ROWS_PER_INSERT;
        if (full > 0) {
            try (PreparedStatement insert = SqlDialect.prepare(connection, insertEmails(ROWS_PER_INSERT))) {
                for (int from = 0; from < full; from += ROWS_PER_INSERT) {
                    bindRows(insert, emails.subList(from, from + ROWS_PER_INSERT), memoryHost, bulkJobOf);
                    insert.executeUpdate();
                }
            }
        }
        if (full < emails.size()) {
            try (PreparedStatement insert = SqlDialect.prepare(connection, insertEmails(emails.size() - full))) {
                bindRows(insert, emails.subList(full, emails.size()), memoryHost, bulkJobOf);
                insert.executeUpdate();
            }
        }
    }

    static final int ROWS_PER_INSERT = 100;
    static final int INSERT_COLUMNS = 18;

    static String insertEmails(int rows) {
        String row = "(" + String.join(", ", java.util.Collections.nCopies(INSERT_COLUMNS, "?")) + ")";
        return "INSERT INTO jd_email (" + OutboxRows.COLUMNS + ", memory_host, bulk_job_id) VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, row));
    }

    static void bindRows(PreparedStatement insert, List<OutboxEmail> emails, UUID memoryHost,
                                 Function<OutboxEmail, UUID> bulkJobOf) throws SQLException {
        int offset = 0;
        for (OutboxEmail email : emails) {
            OutboxRows.bind(insert, email, offset);
            insert.setObject(offset + 17, memoryHost);
            UUID bulkJob = bulkJobOf.apply(email);
            insert.setString(offset + 18, bulkJob == null ? null : bulkJob.toString());
            offset += INSERT_COLUMNS;
        }
    }

    /**
     * Notes, with the e-mails, the batches of one-off ones and when their jobs are due: the jobs are created after
     * this commit, by whoever holds the note ({@link UnqueuedBatches}). New rows keep {@code job_created}'s default
     * (TRUE); only rows written before {@code jd_unqueued_batch} carry FALSE.
     */
    static void markUnqueued(Connection connection, List<OutboxEmail> emails, Instant runAt) throws SQLException {
        Set<UUID> batches = emails.stream().filter(email -> email.kind() == OutboxEmail.Kind.ONE_OFF)
                .map(OutboxEmail::batchId).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        if (batches.isEmpty()) {
            return;     // a recurring run's row: its job exists already
        }
        try (PreparedStatement insert = SqlDialect.prepare(connection, 
                SqlDialect.of(connection).upsert("jd_unqueued_batch", List.of("batch_id"), List.of("run_at")))) {
            for (UUID batch : batches) {
                insert.setObject(1, batch);
                insert.setObject(2, runAt == null ? null : Outbox.utc(runAt));
                insert.executeUpdate();
            }
        }
    }

    static void insertAttachments(Connection connection, List<OutboxAttachment> attachments) throws SQLException {
        if (attachments.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = SqlDialect.prepare(connection, "INSERT INTO jd_attachment"
                + " (id, batch_id, position, file_name, content_type, size_bytes, content, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            for (OutboxAttachment stored : attachments) {
                Attachment attachment = stored.attachment();
                insert.setObject(1, stored.id());
                insert.setObject(2, stored.batchId());
                insert.setInt(3, stored.position());
                insert.setString(4, attachment.fileName());
                insert.setString(5, attachment.contentType());
                insert.setLong(6, attachment.size());
                insert.setBytes(7, attachment.content());
                insert.executeUpdate();
            }
        }
    }

}
