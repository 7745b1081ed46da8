package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.BodyFormat;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** A row of the outbox table ({@code jd_email}) as {@link OutboxEmail}: its columns, how they are bound and read. */
final class OutboxRows {

    static final String COLUMNS =
            "id, kind, job_id, recurring_job_id, batch_id, from_addr, to_addr, cc, bcc, subject, body, created_at,"
                    + " attachment_ids, body_format, text_alt, template_name";

    private OutboxRows() {
    }

    /** {@link #COLUMNS}, each qualified by a table alias. */
    static String prefixed(String alias) {
        return Arrays.stream(COLUMNS.split(",")).map(column -> alias + column.strip()).collect(Collectors.joining(", "));
    }

    /** Binds the first 16 of a row's columns, those of {@link #COLUMNS}, after {@code offset} others. */
    static void bind(PreparedStatement insert, OutboxEmail email, int offset) throws SQLException {
        insert.setObject(offset + 1, email.id());
        insert.setString(offset + 2, email.kind().name());
        insert.setString(offset + 3, email.jobId() == null ? null : email.jobId().toString());
        insert.setString(offset + 4, email.recurringJobId());
        insert.setObject(offset + 5, email.batchId());
        insert.setString(offset + 6, email.from());
        insert.setString(offset + 7, email.to());
        insert.setString(offset + 8, email.cc());
        insert.setString(offset + 9, email.bcc());
        insert.setString(offset + 10, email.subject());
        insert.setString(offset + 11, email.body());
        insert.setObject(offset + 12, Outbox.utc(email.createdAt()));
        insert.setString(offset + 13, email.attachmentIds().stream().map(UUID::toString).collect(Collectors.joining(",")));
        insert.setString(offset + 14, email.format().name());
        insert.setString(offset + 15, email.textAlternative());
        insert.setString(offset + 16, email.templateName());
    }

    static OutboxEmail read(ResultSet rows) throws SQLException {
        String jobId = rows.getString("job_id");
        return new OutboxEmail(
                rows.getObject("id", UUID.class),
                OutboxEmail.Kind.valueOf(rows.getString("kind")),
                jobId == null ? null : UUID.fromString(jobId.trim()),
                rows.getString("recurring_job_id"),
                rows.getObject("batch_id", UUID.class),
                rows.getString("from_addr"),
                rows.getString("to_addr"),
                rows.getString("cc"),
                rows.getString("bcc"),
                rows.getString("subject"),
                rows.getString("body"),
                rows.getObject("created_at", OffsetDateTime.class).toInstant(),
                attachmentIds(rows.getString("attachment_ids")),
                BodyFormat.valueOf(rows.getString("body_format")),
                rows.getString("text_alt"),
                rows.getString("template_name"));
    }

    static List<UUID> attachmentIds(String column) {
        if (column == null || column.isBlank()) {
            return List.of();
        }
        return Arrays.stream(column.split(",")).map(String::strip).map(UUID::fromString).toList();
    }
}
