-- JobDeck's own tables beside JobRunr's (decision 34): the outbox of e-mails (the JobRunr job carries only an e-mail
-- id), the delivery ledger, one row per attempt with the server's reply, settings, hosts and incidents, attachments,
-- saved templates and what the survival report and the Jobs screen keep.
--
-- Version 1 is the schema of every store before versioned migrations, including the steps that brought older stores
-- up to it. Every statement is idempotent: an existing store is baselined at version 0 and runs this once, changing
-- only what it lacks. PostgreSQL's version 1 (db/store/postgresql) creates the same tables; H2's Java triggers are
-- PL/pgSQL functions there.

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
);

CREATE UNIQUE INDEX IF NOT EXISTS jd_email_job_idx ON jd_email (job_id);

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
);

CREATE TABLE IF NOT EXISTS jd_setting (
    name  VARCHAR(100) PRIMARY KEY,
    setting_value VARCHAR(4000) NOT NULL
);

-- Every host process that ever ran on this store; the id is its JobRunr server id.
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
);

-- A crash, recycle or restart, and the jobs that were in flight on the host when it happened.
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
);

CREATE TABLE IF NOT EXISTS jd_incident_job (
    incident_id UUID     NOT NULL,
    job_id      CHAR(36) NOT NULL,
    email_id    UUID,
    PRIMARY KEY (incident_id, job_id)
);

-- E-mails handed to an in-memory host (the QueueBackgroundWorkItem baseline) name that host.
ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS memory_host UUID;

CREATE INDEX IF NOT EXISTS jd_email_memory_host_idx ON jd_email (memory_host);

-- The built-in sink's jd_sink_message lives in its own database file since decision 15: see SINK_MAILBOX.
-- Files attached to a queued batch, stored once; every recipient's jd_email row lists the ids it sends.
CREATE TABLE IF NOT EXISTS jd_attachment (
    id           UUID PRIMARY KEY,
    batch_id     UUID          NOT NULL,
    position     INT           NOT NULL,
    file_name    VARCHAR(1000) NOT NULL,
    content_type VARCHAR(255)  NOT NULL,
    size_bytes   BIGINT        NOT NULL,
    content      BLOB          NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX IF NOT EXISTS jd_attachment_batch_idx ON jd_attachment (batch_id);

ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS attachment_ids VARCHAR(1000) NOT NULL DEFAULT '';

-- Templates: each e-mail row holds what was sent after merging, its format and the template it came from.
ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS body_format VARCHAR(8) NOT NULL DEFAULT 'TEXT';

ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS text_alt CLOB NOT NULL DEFAULT '';

ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS template_name VARCHAR(200) NOT NULL DEFAULT '';

-- The operator's saved templates (Compose screen), unmerged.
CREATE TABLE IF NOT EXISTS jd_template (
    name       VARCHAR(200) PRIMARY KEY,
    subject    VARCHAR(998) NOT NULL,
    body       CLOB         NOT NULL,
    format     VARCHAR(8)   NOT NULL,
    text_alt   CLOB         NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Bulk delivery (decision 10): the job that delivers this e-mail with others. job_id stays the e-mail's
-- own id (ledger key, Message-ID, and the id of its own job when it needs one: a retry or a bounce).
ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS bulk_job_id CHAR(36);

CREATE INDEX IF NOT EXISTS jd_email_bulk_job_idx ON jd_email (bulk_job_id);

-- Connection slots per SMTP server shared by every host: a row per slot, held until it expires.
CREATE TABLE IF NOT EXISTS jd_smtp_slot (
    server     VARCHAR(300) NOT NULL,
    slot_no    INT          NOT NULL,
    holder     VARCHAR(100),
    expires_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (server, slot_no)
);

-- A token bucket per SMTP server for the shared messages-per-second limit.
CREATE TABLE IF NOT EXISTS jd_send_rate (
    server     VARCHAR(300) PRIMARY KEY,
    tokens     DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Whether a one-off e-mail's job was created: recovery creates only missing jobs that never existed, not
-- jobs JobRunr removed later. Rows from before this column had their jobs created.
ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS job_created BOOLEAN NOT NULL DEFAULT TRUE;

-- Batches whose one-off e-mails are committed but whose jobs are not created yet: one row per batch,
-- written with its e-mails and deleted once the jobs exist, instead of rewriting every e-mail's row to
-- set job_created (a third of the time to queue 10,000). job_created = FALSE still marks older rows.
CREATE TABLE IF NOT EXISTS jd_unqueued_batch (batch_id UUID PRIMARY KEY);

-- The run (one execution of a job) that made an attempt: a journal folded late never overwrites another
-- run's attempt at the same recipient (decision 23). Rows from before runs have none.
ALTER TABLE jd_delivery_attempt ADD COLUMN IF NOT EXISTS run_id UUID;

-- When the batch's jobs are due (null: now), so jobs created by another process or after a crash keep
-- the schedule the operator chose (decision 20).
ALTER TABLE jd_unqueued_batch ADD COLUMN IF NOT EXISTS run_at TIMESTAMP WITH TIME ZONE;

-- A batch queued under a key the sender chose (send --key): a retry with the same key and content
-- queues nothing again; the fingerprint is a SHA-256 of what the batch sends.
CREATE TABLE IF NOT EXISTS jd_batch_key (
    batch_key   VARCHAR(200) PRIMARY KEY,
    batch_id    UUID         NOT NULL,
    fingerprint VARCHAR(64)  NOT NULL,
    emails      INT          NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Counters every process polls to hear of another's work at once, e.g. jobs due now for every host.
CREATE TABLE IF NOT EXISTS jd_signal (name VARCHAR(50) PRIMARY KEY, generation BIGINT NOT NULL);

INSERT INTO jd_signal (name, generation) SELECT 'jobs-due', 0 WHERE NOT EXISTS (SELECT 1 FROM jd_signal WHERE name = 'jobs-due');

-- Settled e-mails (decision 26): delivered by a job that succeeded, so their place in the survival report
-- can no longer change. The report counts them from jd_ledger_total and reads only the open ones (null).
ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS settled_at TIMESTAMP WITH TIME ZONE;

-- Per batch (and one row for everything, batch 00000000-...): the survival report's counts of the e-mails
-- settled (accepted, and of those delivered, succeeded, deleted), how many of them retention removed, and
-- of those the ones the report counted as possibly received twice.
CREATE TABLE IF NOT EXISTS jd_ledger_total (
    batch_id    UUID   PRIMARY KEY,
    accepted    BIGINT NOT NULL DEFAULT 0,
    delivered   BIGINT NOT NULL DEFAULT 0,
    succeeded   BIGINT NOT NULL DEFAULT 0,
    deleted     BIGINT NOT NULL DEFAULT 0,
    purged      BIGINT NOT NULL DEFAULT 0,
    re_executed BIGINT NOT NULL DEFAULT 0
);

-- Search through indexes (decision 25): an address or its start, a domain ("@example.org"), a subject's
-- start, each lower-cased by H2 on write so a search is an index range rather than a scan of every e-mail
-- (the indexes are at the end).
ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS to_lc VARCHAR(320) GENERATED ALWAYS AS (LOWER(to_addr));

ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS to_domain VARCHAR(320) GENERATED ALWAYS AS (LOWER(SUBSTRING(to_addr FROM LOCATE('@', to_addr) + 1)));

ALTER TABLE jd_email ADD COLUMN IF NOT EXISTS subject_lc VARCHAR(998) GENERATED ALWAYS AS (LOWER(subject));

-- Every start looks for rows of the older kind still flagged job_created = FALSE (none, once recovered):
-- through this index a lookup of nothing, instead of three scans of every e-mail (33 s at a million).
CREATE INDEX IF NOT EXISTS jd_email_job_created_idx ON jd_email (job_created);

-- The address search indexes carry the e-mail's job ids, so a search's candidates are read from the index alone:
-- a domain of 178,000 recipients of a million gave its first 10,001 jobs in 0.3 s instead of 2 s of row
-- reads. They replace the narrower indexes of the same columns.
CREATE INDEX IF NOT EXISTS jd_email_to_lc_jobs_idx ON jd_email (to_lc, job_id, bulk_job_id);

DROP INDEX IF EXISTS jd_email_to_lc_idx;

CREATE INDEX IF NOT EXISTS jd_email_to_domain_jobs_idx ON jd_email (to_domain, job_id, bulk_job_id);

DROP INDEX IF EXISTS jd_email_to_domain_idx;

-- A subject is found by its words since decision 30: subject_lc is no longer read (the column stays, as
-- dropping it would rewrite every e-mail), and neither is an index on it.
DROP INDEX IF EXISTS jd_email_subject_lc_idx;

-- The survival report reads the open (unsettled) e-mails and their attempts from indexes alone: the columns
-- it needs of an e-mail, whether one of its attempts was accepted, the e-mails retried (attempts after the
-- first: the only e-mails that can have reached the server twice, decision 23). They replace the narrower
-- indexes that start with the same columns.
CREATE INDEX IF NOT EXISTS jd_email_open_idx ON jd_email (settled_at, kind, id, job_id, bulk_job_id, batch_id);

DROP INDEX IF EXISTS jd_email_settled_idx;

DROP INDEX IF EXISTS jd_attempt_email_idx;

CREATE INDEX IF NOT EXISTS jd_attempt_number_email_idx ON jd_delivery_attempt (attempt, email_id);

DROP INDEX IF EXISTS jd_attempt_number_idx;

-- Sort keys of each job's row in the Jobs table (decision 30): what its Recipient, Subject, Tries, Host, Code
-- and Last reply columns show, lower-cased and cut to a length an index keeps, one row per JobRunr job, kept
-- by JobKeysTrigger as jobs, e-mails and attempts are written, so each column's order is an index's order.
CREATE TABLE IF NOT EXISTS jd_job_key (
    job_id    CHAR(36)     PRIMARY KEY,
    recipient VARCHAR(320) NOT NULL DEFAULT '',
    subject   VARCHAR(200) NOT NULL DEFAULT '',
    tries     INT          NOT NULL DEFAULT 0,
    host      VARCHAR(200) NOT NULL DEFAULT '',
    code      INT          NOT NULL DEFAULT 0,
    reply     VARCHAR(200) NOT NULL DEFAULT ''
);

CREATE INDEX IF NOT EXISTS jd_job_key_recipient_idx ON jd_job_key (recipient, job_id);

CREATE INDEX IF NOT EXISTS jd_job_key_subject_idx ON jd_job_key (subject, job_id);

CREATE INDEX IF NOT EXISTS jd_job_key_tries_idx ON jd_job_key (tries, job_id);

CREATE INDEX IF NOT EXISTS jd_job_key_host_idx ON jd_job_key (host, job_id);

CREATE INDEX IF NOT EXISTS jd_job_key_code_idx ON jd_job_key (code, job_id);

CREATE INDEX IF NOT EXISTS jd_job_key_reply_idx ON jd_job_key (reply, job_id);

-- Words of each job's subject and of the error replies and failure messages it got (decision 30), so a word
-- anywhere in them (or its start) is an index range. Insert-only, no unique key: two writers noting the
-- same word for one job never wait on or fail each other; a duplicate only costs a row.
CREATE TABLE IF NOT EXISTS jd_job_word (word VARCHAR(40) NOT NULL, job_id CHAR(36) NOT NULL);

CREATE INDEX IF NOT EXISTS jd_job_word_idx ON jd_job_word (word, job_id);

CREATE INDEX IF NOT EXISTS jd_job_word_job_idx ON jd_job_word (job_id);

-- A batch's e-mails with what the survival report reads of them, and each e-mail's attempts with what the
-- report's possible duplicates need (decision 32): the counts of a batch written since they were kept are
-- read again from index entries alone, not from rows. They replace the narrower indexes that start with the
-- same columns.
CREATE INDEX IF NOT EXISTS jd_email_batch_open_idx ON jd_email (batch_id, settled_at, kind, id, job_id, bulk_job_id);

DROP INDEX IF EXISTS jd_email_batch_idx;

CREATE INDEX IF NOT EXISTS jd_attempt_email_twice_idx ON jd_delivery_attempt (email_id, outcome, attempt, job_id);

DROP INDEX IF EXISTS jd_attempt_email_outcome_idx;

-- Each attempt at an e-mail of a bulk job names that bulk job, set by a trigger as the row is inserted (BulkAttempts,
-- decision 25), so the Jobs screen reads a bulk job's latest attempt and its most tries through an index. Attempts
-- from before the column get it once.
ALTER TABLE jd_delivery_attempt ADD COLUMN IF NOT EXISTS bulk_job_id CHAR(36);

UPDATE jd_delivery_attempt a SET bulk_job_id = (SELECT e.bulk_job_id FROM jd_email e WHERE e.id = a.email_id)
    WHERE a.bulk_job_id IS NULL
      AND EXISTS (SELECT 1 FROM jd_email e WHERE e.id = a.email_id AND e.bulk_job_id IS NOT NULL);

CREATE INDEX IF NOT EXISTS jd_attempt_bulk_started_idx ON jd_delivery_attempt (bulk_job_id, started_at);

CREATE INDEX IF NOT EXISTS jd_attempt_bulk_attempt_idx ON jd_delivery_attempt (bulk_job_id, attempt);

-- A bulk job's first recipient (its row's name) is the first entry of this index for the bulk job.
CREATE INDEX IF NOT EXISTS jd_email_bulk_to_idx ON jd_email (bulk_job_id, to_addr);

CREATE TRIGGER IF NOT EXISTS jd_attempt_bulk_trigger BEFORE INSERT ON jd_delivery_attempt
    FOR EACH ROW CALL 'dev.jobdeck.core.store.BulkAttempts';

-- The survival report's per-batch counts of the open e-mails, kept (decision 32): jd_ledger_open holds each batch's
-- counts as last computed; jd_ledger_mark, insert-only, notes every write that may change them (LedgerMarks).
CREATE TABLE IF NOT EXISTS jd_ledger_open (
    batch_id  UUID PRIMARY KEY,
    accepted  BIGINT NOT NULL,
    delivered BIGINT NOT NULL,
    succeeded BIGINT NOT NULL,
    failed    BIGINT NOT NULL,
    deleted   BIGINT NOT NULL,
    pending   BIGINT NOT NULL,
    lost      BIGINT NOT NULL,
    twice     BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS jd_ledger_mark (
    id       BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    batch_id UUID,
    email_id UUID,
    job_id   CHAR(36)
);

CREATE TRIGGER IF NOT EXISTS jd_ledger_mark_trigger_email AFTER INSERT, UPDATE, DELETE ON jd_email
    FOR EACH ROW CALL 'dev.jobdeck.core.store.LedgerMarks';

CREATE TRIGGER IF NOT EXISTS jd_ledger_mark_trigger_delivery_attempt AFTER INSERT, UPDATE, DELETE ON jd_delivery_attempt
    FOR EACH ROW CALL 'dev.jobdeck.core.store.LedgerMarks';

CREATE TRIGGER IF NOT EXISTS jd_ledger_mark_trigger_unqueued_batch AFTER INSERT, UPDATE, DELETE ON jd_unqueued_batch
    FOR EACH ROW CALL 'dev.jobdeck.core.store.LedgerMarks';

-- A mark naming nothing asks the keeper to read everything once: a new store, or one whose counts were kept by a
-- version before this history (cheap to redo, and never wrong).
INSERT INTO jd_ledger_mark (batch_id) VALUES (NULL);

-- Jobs per state (decision 25): totals, and the changes the job counters' trigger notes, insert-only, so writers never
-- wait on each other for a counter row; a count folds them now and then. The trigger itself is on JobRunr's table and
-- is created once JobRunr's own migrations have run (JobRunrTables.migrate).
CREATE TABLE IF NOT EXISTS jd_job_count (
    state VARCHAR(36) PRIMARY KEY,
    jobs  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS jd_job_count_change (
    id    BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    state VARCHAR(36) NOT NULL,
    delta INT NOT NULL
);
