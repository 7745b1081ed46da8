package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * JobDeck's own tables beside JobRunr's: the outbox of e-mails (the JobRunr job carries only an
 * e-mail id) and the delivery ledger, one row per attempt with the server's reply.
 */
final class Schema {

    private static final List<String> STATEMENTS = List.of(
            """
            CREATE TABLE IF NOT EXISTS jd_email (
                id               UUID PRIMARY KEY,
                kind             VARCHAR(32)  NOT NULL,
                job_id           CHAR(36),
                recurring_job_id VARCHAR(128),
                batch_id         UUID,
                from_addr        VARCHAR(320) NOT NULL,
                to_addr          VARCHAR(320) NOT NULL,
                cc               VARCHAR(8000) NOT NULL DEFAULT '',
                bcc              VARCHAR(8000) NOT NULL DEFAULT '',
                subject          VARCHAR(998) NOT NULL,
                body             CLOB         NOT NULL,
                created_at       TIMESTAMP WITH TIME ZONE NOT NULL
            )""",
            // Widens databases created with VARCHAR(16), which cannot hold "RECURRING_TEMPLATE" (18).
            "ALTER TABLE jd_email ALTER COLUMN kind SET DATA TYPE VARCHAR(32)",
            "CREATE UNIQUE INDEX IF NOT EXISTS jd_email_job_idx ON jd_email (job_id)",
            "CREATE INDEX IF NOT EXISTS jd_email_batch_idx ON jd_email (batch_id)",
            """
            CREATE TABLE IF NOT EXISTS jd_delivery_attempt (
                job_id      CHAR(36)     NOT NULL,
                attempt     INT          NOT NULL,
                email_id    UUID         NOT NULL,
                host        VARCHAR(200),
                started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
                finished_at TIMESTAMP WITH TIME ZONE,
                outcome     VARCHAR(32)  NOT NULL,
                smtp_code   INT,
                smtp_reply  VARCHAR(2000),
                message_id  VARCHAR(200) NOT NULL,
                PRIMARY KEY (job_id, attempt)
            )""",
            // Widens databases created with VARCHAR(16), which cannot hold "PERMANENT_FAILURE" (17) or
            // "SKIPPED_ALREADY_SENT" (20): the ledger update threw, so a rejected e-mail retried instead of failing.
            "ALTER TABLE jd_delivery_attempt ALTER COLUMN outcome SET DATA TYPE VARCHAR(32)",
            """
            CREATE TABLE IF NOT EXISTS jd_setting (
                name  VARCHAR(100) PRIMARY KEY,
                setting_value VARCHAR(4000) NOT NULL
            )""");

    private final DataSource dataSource;

    Schema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void migrate() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : STATEMENTS) {
                statement.execute(sql);
            }
        }
    }
}
