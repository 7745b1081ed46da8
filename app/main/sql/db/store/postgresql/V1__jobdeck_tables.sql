-- JobDeck's own tables beside JobRunr's, on PostgreSQL (decision 34): the same tables, columns and indexes as H2's
-- version 1 (db/store/h2), written as the schema they end up as, since no PostgreSQL store predates this history.
-- H2's Java triggers are PL/pgSQL functions here, doing the same. Types: CLOB is TEXT, BLOB is BYTEA.

CREATE TABLE jd_email (
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
    body             TEXT         NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- E-mails handed to an in-memory host (the QueueBackgroundWorkItem baseline) name that host.
    memory_host      UUID,
    -- The attachments (jd_attachment ids) each recipient's e-mail sends.
    attachment_ids   VARCHAR(1000) NOT NULL DEFAULT '',
    -- What was sent after merging, its format and the template it came from.
    body_format      VARCHAR(8)   NOT NULL DEFAULT 'TEXT',
    text_alt         TEXT         NOT NULL DEFAULT '',
    template_name    VARCHAR(200) NOT NULL DEFAULT '',
    -- Bulk delivery (decision 10): the job that delivers this e-mail with others.
    bulk_job_id      CHAR(36),
    -- Whether a one-off e-mail's job was created (rows of older H2 stores; always true here).
    job_created      BOOLEAN      NOT NULL DEFAULT TRUE,
    -- Settled e-mails (decision 26): their place in the survival report can no longer change.
    settled_at       TIMESTAMP WITH TIME ZONE,
    -- Search through indexes (decision 25): an address or its start, a domain, a subject's start.
    to_lc            VARCHAR(320) GENERATED ALWAYS AS (LOWER(to_addr)) STORED,
    to_domain        VARCHAR(320) GENERATED ALWAYS AS (LOWER(SUBSTRING(to_addr FROM STRPOS(to_addr, '@') + 1))) STORED,
    subject_lc       VARCHAR(998) GENERATED ALWAYS AS (LOWER(subject)) STORED
);

CREATE UNIQUE INDEX jd_email_job_idx ON jd_email (job_id);
CREATE INDEX jd_email_memory_host_idx ON jd_email (memory_host);
CREATE INDEX jd_email_bulk_job_idx ON jd_email (bulk_job_id);
CREATE INDEX jd_email_job_created_idx ON jd_email (job_created);
CREATE INDEX jd_email_to_lc_jobs_idx ON jd_email (to_lc, job_id, bulk_job_id);
CREATE INDEX jd_email_to_domain_jobs_idx ON jd_email (to_domain, job_id, bulk_job_id);
CREATE INDEX jd_email_open_idx ON jd_email (settled_at, kind, id, job_id, bulk_job_id, batch_id);
CREATE INDEX jd_email_batch_open_idx ON jd_email (batch_id, settled_at, kind, id, job_id, bulk_job_id);
CREATE INDEX jd_email_bulk_to_idx ON jd_email (bulk_job_id, to_addr);

CREATE TABLE jd_delivery_attempt (
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
    -- The run (one execution of a job) that made an attempt (decision 23).
    run_id      UUID,
    -- The bulk job of the attempt's e-mail, set by jd_attempt_bulk() (decision 25).
    bulk_job_id CHAR(36),
    PRIMARY KEY (job_id, attempt)
);

CREATE INDEX jd_attempt_number_email_idx ON jd_delivery_attempt (attempt, email_id);
CREATE INDEX jd_attempt_email_twice_idx ON jd_delivery_attempt (email_id, outcome, attempt, job_id);
CREATE INDEX jd_attempt_bulk_started_idx ON jd_delivery_attempt (bulk_job_id, started_at);
CREATE INDEX jd_attempt_bulk_attempt_idx ON jd_delivery_attempt (bulk_job_id, attempt);

CREATE TABLE jd_setting (
    name          VARCHAR(100) PRIMARY KEY,
    setting_value VARCHAR(4000) NOT NULL
);

-- Every host process that ever ran on this store; the id is its JobRunr server id.
CREATE TABLE jd_host (
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
CREATE TABLE jd_incident (
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

CREATE TABLE jd_incident_job (
    incident_id UUID     NOT NULL,
    job_id      CHAR(36) NOT NULL,
    email_id    UUID,
    PRIMARY KEY (incident_id, job_id)
);

-- Files attached to a queued batch, stored once; every recipient's jd_email row lists the ids it sends.
CREATE TABLE jd_attachment (
    id           UUID PRIMARY KEY,
    batch_id     UUID          NOT NULL,
    position     INT           NOT NULL,
    file_name    VARCHAR(1000) NOT NULL,
    content_type VARCHAR(255)  NOT NULL,
    size_bytes   BIGINT        NOT NULL,
    content      BYTEA         NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX jd_attachment_batch_idx ON jd_attachment (batch_id);

-- The operator's saved templates (Compose screen), unmerged.
CREATE TABLE jd_template (
    name       VARCHAR(200) PRIMARY KEY,
    subject    VARCHAR(998) NOT NULL,
    body       TEXT         NOT NULL,
    format     VARCHAR(8)   NOT NULL,
    text_alt   TEXT         NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Connection slots per SMTP server shared by every host: a row per slot, held until it expires.
CREATE TABLE jd_smtp_slot (
    server     VARCHAR(300) NOT NULL,
    slot_no    INT          NOT NULL,
    holder     VARCHAR(100),
    expires_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (server, slot_no)
);

-- A token bucket per SMTP server for the shared messages-per-second limit.
CREATE TABLE jd_send_rate (
    server     VARCHAR(300) PRIMARY KEY,
    tokens     DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Batches whose one-off e-mails are committed but whose jobs are not created yet, and when they are due.
CREATE TABLE jd_unqueued_batch (
    batch_id UUID PRIMARY KEY,
    run_at   TIMESTAMP WITH TIME ZONE
);

-- A batch queued under a key the sender chose (send --key).
CREATE TABLE jd_batch_key (
    batch_key   VARCHAR(200) PRIMARY KEY,
    batch_id    UUID         NOT NULL,
    fingerprint VARCHAR(64)  NOT NULL,
    emails      INT          NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Counters every process polls to hear of another's work at once, e.g. jobs due now for every host.
CREATE TABLE jd_signal (
    name       VARCHAR(50) PRIMARY KEY,
    generation BIGINT      NOT NULL
);

INSERT INTO jd_signal (name, generation) VALUES ('jobs-due', 0);

-- Per batch (and one row for everything): the survival report's counts of the settled e-mails (decision 26).
CREATE TABLE jd_ledger_total (
    batch_id    UUID   PRIMARY KEY,
    accepted    BIGINT NOT NULL DEFAULT 0,
    delivered   BIGINT NOT NULL DEFAULT 0,
    succeeded   BIGINT NOT NULL DEFAULT 0,
    deleted     BIGINT NOT NULL DEFAULT 0,
    purged      BIGINT NOT NULL DEFAULT 0,
    re_executed BIGINT NOT NULL DEFAULT 0
);

-- Sort keys of each job's row in the Jobs table (decision 30).
CREATE TABLE jd_job_key (
    job_id    CHAR(36)     PRIMARY KEY,
    recipient VARCHAR(320) NOT NULL DEFAULT '',
    subject   VARCHAR(200) NOT NULL DEFAULT '',
    tries     INT          NOT NULL DEFAULT 0,
    host      VARCHAR(200) NOT NULL DEFAULT '',
    code      INT          NOT NULL DEFAULT 0,
    reply     VARCHAR(200) NOT NULL DEFAULT ''
);

CREATE INDEX jd_job_key_recipient_idx ON jd_job_key (recipient, job_id);
CREATE INDEX jd_job_key_subject_idx ON jd_job_key (subject, job_id);
CREATE INDEX jd_job_key_tries_idx ON jd_job_key (tries, job_id);
CREATE INDEX jd_job_key_host_idx ON jd_job_key (host, job_id);
CREATE INDEX jd_job_key_code_idx ON jd_job_key (code, job_id);
CREATE INDEX jd_job_key_reply_idx ON jd_job_key (reply, job_id);

-- Words of each job's subject and of the error replies it got (decision 30). Insert-only, no unique key.
CREATE TABLE jd_job_word (
    word   VARCHAR(40) NOT NULL,
    job_id CHAR(36)    NOT NULL
);

CREATE INDEX jd_job_word_idx ON jd_job_word (word, job_id);
CREATE INDEX jd_job_word_job_idx ON jd_job_word (job_id);

-- Each attempt at an e-mail of a bulk job names that bulk job (H2: the Java trigger BulkAttempts).
CREATE FUNCTION jd_attempt_bulk() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.bulk_job_id IS NULL AND NEW.email_id IS NOT NULL THEN
        SELECT e.bulk_job_id INTO NEW.bulk_job_id FROM jd_email e WHERE e.id = NEW.email_id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER jd_attempt_bulk_trigger BEFORE INSERT ON jd_delivery_attempt
    FOR EACH ROW EXECUTE FUNCTION jd_attempt_bulk();

-- The survival report's per-batch counts of the open e-mails, kept (decision 32), and the insert-only marks of the
-- writes that may change them.
CREATE TABLE jd_ledger_open (
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

CREATE TABLE jd_ledger_mark (
    id       BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    batch_id UUID,
    email_id UUID,
    job_id   CHAR(36)
);

-- H2: the Java trigger LedgerMarks. An e-mail marks its batch (or the one of e-mails without a batch), an attempt its
-- e-mail, an unqueued batch itself; an update marks only when a column the report reads changed, and marks the new
-- row too when its key moved.
CREATE FUNCTION jd_ledger_mark_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.batch_id, OLD.kind, OLD.job_id, OLD.bulk_job_id, OLD.settled_at)
            IS NOT DISTINCT FROM (NEW.batch_id, NEW.kind, NEW.job_id, NEW.bulk_job_id, NEW.settled_at) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO jd_ledger_mark (batch_id)
            VALUES (COALESCE(OLD.batch_id, '00000000-0000-0000-0000-000000000001'::uuid));
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.batch_id IS DISTINCT FROM NEW.batch_id) THEN
        INSERT INTO jd_ledger_mark (batch_id)
            VALUES (COALESCE(NEW.batch_id, '00000000-0000-0000-0000-000000000001'::uuid));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION jd_ledger_mark_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.email_id, OLD.outcome, OLD.attempt, OLD.job_id)
            IS NOT DISTINCT FROM (NEW.email_id, NEW.outcome, NEW.attempt, NEW.job_id) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.email_id IS NOT NULL THEN
        INSERT INTO jd_ledger_mark (email_id) VALUES (OLD.email_id);
    END IF;
    IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.email_id IS DISTINCT FROM NEW.email_id))
            AND NEW.email_id IS NOT NULL THEN
        INSERT INTO jd_ledger_mark (email_id) VALUES (NEW.email_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION jd_ledger_mark_unqueued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.batch_id IS NOT DISTINCT FROM NEW.batch_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.batch_id IS NOT NULL THEN
        INSERT INTO jd_ledger_mark (batch_id) VALUES (OLD.batch_id);
    END IF;
    IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.batch_id IS DISTINCT FROM NEW.batch_id))
            AND NEW.batch_id IS NOT NULL THEN
        INSERT INTO jd_ledger_mark (batch_id) VALUES (NEW.batch_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER jd_ledger_mark_trigger_email AFTER INSERT OR UPDATE OR DELETE ON jd_email
    FOR EACH ROW EXECUTE FUNCTION jd_ledger_mark_email();

CREATE TRIGGER jd_ledger_mark_trigger_delivery_attempt AFTER INSERT OR UPDATE OR DELETE ON jd_delivery_attempt
    FOR EACH ROW EXECUTE FUNCTION jd_ledger_mark_attempt();

CREATE TRIGGER jd_ledger_mark_trigger_unqueued_batch AFTER INSERT OR UPDATE OR DELETE ON jd_unqueued_batch
    FOR EACH ROW EXECUTE FUNCTION jd_ledger_mark_unqueued();

-- A mark naming nothing asks the keeper to read everything once.
INSERT INTO jd_ledger_mark (batch_id) VALUES (NULL);

-- Jobs per state (decision 25): totals, and the insert-only changes noted by jd_job_count_note(), the trigger function
-- JobRunrTables puts on JobRunr's table once JobRunr's own migrations have run (H2: the Java trigger JobCountTrigger).
CREATE TABLE jd_job_count (
    state VARCHAR(36) PRIMARY KEY,
    jobs  BIGINT NOT NULL
);

CREATE TABLE jd_job_count_change (
    id    BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    state VARCHAR(36) NOT NULL,
    delta INT NOT NULL
);

-- A change of a job's state notes -1 for the old state and +1 for the new; one that moves the survival report (a job
-- created or removed, or a state of another kind: pending, failed, deleted, succeeded) also marks the job.
CREATE FUNCTION jd_job_count_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before_state VARCHAR(36);
    after_state  VARCHAR(36);
    job          CHAR(36);
BEGIN
    IF TG_OP <> 'INSERT' THEN
        before_state := OLD.state;
        job := OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        after_state := NEW.state;
        job := NEW.id;
    END IF;
    IF before_state IS NOT DISTINCT FROM after_state THEN
        RETURN NULL;
    END IF;
    IF before_state IS NOT NULL THEN
        INSERT INTO jd_job_count_change (state, delta) VALUES (before_state, -1);
    END IF;
    IF after_state IS NOT NULL THEN
        INSERT INTO jd_job_count_change (state, delta) VALUES (after_state, 1);
    END IF;
    IF (CASE WHEN before_state IN ('AWAITING', 'SCHEDULED', 'ENQUEUED', 'PROCESSING') THEN 'PENDING' ELSE before_state END)
            IS DISTINCT FROM
       (CASE WHEN after_state IN ('AWAITING', 'SCHEDULED', 'ENQUEUED', 'PROCESSING') THEN 'PENDING' ELSE after_state END)
    THEN
        INSERT INTO jd_ledger_mark (job_id) VALUES (job);
    END IF;
    RETURN NULL;
END
$$;

-- MIN and MAX of a UUID, which H2 has and PostgreSQL does not: the survival report asks for a bulk job's first and
-- last batch this way, in SQL both databases then run as written.
CREATE FUNCTION jd_uuid_smaller(a UUID, b UUID) RETURNS UUID LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT CASE WHEN a <= b THEN a ELSE b END';

CREATE FUNCTION jd_uuid_larger(a UUID, b UUID) RETURNS UUID LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT CASE WHEN a >= b THEN a ELSE b END';

CREATE AGGREGATE min(UUID) (SFUNC = jd_uuid_smaller, STYPE = UUID, COMBINEFUNC = jd_uuid_smaller, PARALLEL = SAFE);

CREATE AGGREGATE max(UUID) (SFUNC = jd_uuid_larger, STYPE = UUID, COMBINEFUNC = jd_uuid_larger, PARALLEL = SAFE);
