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
            """
            CREATE TABLE IF NOT EXISTS jd_setting (
                name  VARCHAR(100) PRIMARY KEY,
                setting_value VARCHAR(4000) NOT NULL
            )""",
            // Every host process that ever ran on this store; the id is its JobRunr server id.
            """
            CREATE TABLE IF NOT EXISTS jd_host (
                id            UUID PRIMARY KEY,
                name          VARCHAR(100) NOT NULL,
                kind          VARCHAR(16)  NOT NULL,
                pid           BIGINT,
                workers       INT          NOT NULL,
                started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
                stopped_at    TIMESTAMP WITH TIME ZONE,
                stop_reason   VARCHAR(1000),
                exit_code     INT,
                drain_seconds INT
            )""",
            // A crash, recycle or restart, and the jobs that were in flight on the host when it happened.
            """
            CREATE TABLE IF NOT EXISTS jd_incident (
                id          UUID PRIMARY KEY,
                host_id     UUID         NOT NULL,
                host_name   VARCHAR(100) NOT NULL,
                action      VARCHAR(32)  NOT NULL,
                happened_at TIMESTAMP WITH TIME ZONE NOT NULL,
                detected_at TIMESTAMP WITH TIME ZONE,
                requeued    INT,
                replacement VARCHAR(100),
                note        VARCHAR(1000)
            )""",
            """
            CREATE TABLE IF NOT EXISTS jd_incident_job (
                incident_id UUID     NOT NULL,
                job_id      CHAR(36) NOT NULL,
                email_id    UUID,
                PRIMARY KEY (incident_id, job_id)
            )""",
            // E-mails handed to an in-memory host (the QueueBackgroundWorkItem baseline) name that host.
            "ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS memory_host UUID",
            "CREATE INDEX IF NOT EXISTS jd_email_memory_host_idx ON jd_email (memory_host)",
            "CREATE INDEX IF NOT EXISTS jd_attempt_email_idx ON jd_delivery_attempt (email_id)");

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
