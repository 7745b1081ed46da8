-- The Jobs screen's sort keys (jd_job_key) and words (jd_job_word) on PostgreSQL (decisions 30 and 39): what H2's Java
-- trigger JobKeysTrigger does, as PL/pgSQL. JobRunrTables attaches them, to JobRunr's table, jd_email and
-- jd_delivery_attempt, once JobRunr has created its table (as the counters' jd_job_count_note(); H2's alike).

-- Keys and words compare in code point order ("C"), as H2 compares Java strings: the same order on both stores, and a
-- prefix range ("abc" to "abc\uffff") that holds whatever the database's locale.
ALTER TABLE jd_job_key ALTER COLUMN recipient TYPE VARCHAR(320) COLLATE "C";
ALTER TABLE jd_job_key ALTER COLUMN subject TYPE VARCHAR(200) COLLATE "C";
ALTER TABLE jd_job_key ALTER COLUMN host TYPE VARCHAR(200) COLLATE "C";
ALTER TABLE jd_job_key ALTER COLUMN reply TYPE VARCHAR(200) COLLATE "C";
ALTER TABLE jd_job_word ALTER COLUMN word TYPE VARCHAR(40) COLLATE "C";

-- Lower case and words as Java's toLowerCase(Locale.ROOT) and the split on [^\p{L}\p{N}]+ (JobKeysTrigger.words): by
-- ICU's root locale where the server has ICU (letters and decimal digits of every script), else by the database's
-- locale (with a "C" locale: ASCII only).
DO $$
DECLARE
    icu TEXT := CASE WHEN EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')
                           THEN ' COLLATE "und-x-icu"' ELSE '' END;
BEGIN
    EXECUTE 'CREATE FUNCTION jd_lower(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE'
        || ' AS $f$SELECT COALESCE(lower(t' || icu || '), '''')$f$';
    EXECUTE 'CREATE FUNCTION jd_words(t TEXT) RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE'
        || ' AS $f$SELECT DISTINCT left(w, 40) FROM regexp_split_to_table(jd_lower(t)' || icu
        || ', ''[^[:alnum:]]+'') w WHERE w <> ''''$f$';
END
$$;

-- A reply's sort key (JobKeysTrigger.replyKey): without its code and enhanced status, stripped of Java's white space,
-- lower-cased, cut to 200.
CREATE FUNCTION jd_reply_key(reply TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(left(jd_lower(regexp_replace(
        regexp_replace(reply, '^[ \t\n\v\f\r]*[2-5][0-9][0-9][ -]([245]\.[0-9]{1,3}\.[0-9]{1,3}[ \t\n\v\f\r]*)?', ''),
        '^[\t\n\v\f\r \u001c-\u001f\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+'
        || '|[\t\n\v\f\r \u001c-\u001f\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+$', '', 'g')), 200), '')
$$;

-- The text of JobRunr's latest Failed state in a job's JSON: its message and the exception's; empty when there is none
-- or the JSON cannot be read (a trigger must never fail JobRunr's write).
CREATE FUNCTION jd_job_failure(job_json TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    state JSONB;
BEGIN
    SELECT h.value INTO state FROM jsonb_array_elements(job_json::jsonb -> 'jobHistory') WITH ORDINALITY h
        WHERE COALESCE(h.value ->> '@class', '') LIKE '%.FailedState' ORDER BY h.ordinality DESC LIMIT 1;
    IF state IS NULL THEN
        RETURN '';
    END IF;
    RETURN COALESCE(state ->> 'message', '') || ' ' || COALESCE(state ->> 'exceptionMessage', '');
EXCEPTION WHEN OTHERS THEN
    RETURN '';
END
$$;

CREATE FUNCTION jd_job_note_words(job CHAR(36), t TEXT) RETURNS VOID LANGUAGE sql AS $$
    INSERT INTO jd_job_word (word, job_id) SELECT w, job FROM jd_words(t) w
        WHERE NOT EXISTS (SELECT 1 FROM jd_job_word x WHERE x.word = w AND x.job_id = job);
$$;

-- A job's tries, host, code and reply key (JobKeysTrigger.singleAttempts / bulkAttempts / latest).
CREATE FUNCTION jd_job_attempt_keys(job CHAR(36), single BOOLEAN, OUT tries INT, OUT host TEXT, OUT code INT,
        OUT reply TEXT) LANGUAGE plpgsql STABLE AS $$
DECLARE
    latest RECORD;
    tried  BOOLEAN;
BEGIN
    IF single THEN
        SELECT COUNT(*) INTO tries FROM jd_delivery_attempt a
            WHERE a.job_id = job AND a.outcome <> 'SKIPPED_ALREADY_SENT';
        SELECT a.host, a.smtp_code, a.smtp_reply INTO latest FROM jd_delivery_attempt a WHERE a.job_id = job
            ORDER BY a.attempt DESC LIMIT 1;
    ELSE
        SELECT a.attempt INTO tries FROM jd_delivery_attempt a
            WHERE a.bulk_job_id = job AND a.outcome <> 'SKIPPED_ALREADY_SENT' ORDER BY a.attempt DESC LIMIT 1;
        tries := COALESCE(tries, 0);
        SELECT a.host, a.smtp_code, a.smtp_reply INTO latest FROM jd_delivery_attempt a WHERE a.bulk_job_id = job
            ORDER BY a.started_at DESC LIMIT 1;
    END IF;
    tried := FOUND;
    IF NOT tried THEN
        host := '';
        code := 0;
        reply := '';
        RETURN;
    END IF;
    host := COALESCE(left(latest.host, 200), '');
    code := GREATEST(COALESCE(latest.smtp_code, 0), 0);
    reply := jd_reply_key(latest.smtp_reply);
END
$$;

-- Writes the row (and words) of a job from what is there now (JobKeysTrigger.insertKeys): its own e-mail, else the first
-- recipient of the bulk job it is; its attempts; its failure message.
CREATE FUNCTION jd_job_keys_write(job CHAR(36), failure TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    address TEXT;
    title   TEXT;
    single  BOOLEAN;
    keys    RECORD;
BEGIN
    SELECT e.to_addr, e.subject INTO address, title FROM jd_email e WHERE e.job_id = job;
    single := FOUND;
    IF single THEN
        PERFORM jd_job_note_words(job, title);
    ELSE
        SELECT e.to_addr, e.subject INTO address, title FROM jd_email e WHERE e.bulk_job_id = job
            ORDER BY e.bulk_job_id, e.to_addr LIMIT 1;
        IF FOUND THEN
            -- Other recipients' subjects (a template's merged fields) only when the first one has any.
            PERFORM jd_job_note_words(job, s.subject)
                FROM (SELECT DISTINCT e.subject FROM jd_email e WHERE e.bulk_job_id = job) s;
        END IF;
    END IF;
    keys := jd_job_attempt_keys(job, single);
    INSERT INTO jd_job_key (job_id, recipient, subject, tries, host, code, reply)
        VALUES (job, left(jd_lower(address), 320), left(jd_lower(title), 200), keys.tries, keys.host, keys.code,
                keys.reply)
        ON CONFLICT (job_id) DO UPDATE SET recipient = EXCLUDED.recipient, subject = EXCLUDED.subject,
            tries = EXCLUDED.tries, host = EXCLUDED.host, code = EXCLUDED.code, reply = EXCLUDED.reply;
    PERFORM jd_job_note_words(job, a.smtp_reply) FROM jd_delivery_attempt a
        WHERE (CASE WHEN single THEN a.job_id ELSE a.bulk_job_id END) = job
          AND a.outcome IN ('TRANSIENT_FAILURE', 'PERMANENT_FAILURE') AND a.smtp_reply IS NOT NULL;
    PERFORM jd_job_note_words(job, failure);
END
$$;

-- A job JobRunr holds but without a key row yet: written whole now (JobKeysTrigger.keyNow).
CREATE FUNCTION jd_job_key_now(job CHAR(36)) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    PERFORM jd_job_keys_write(job, COALESCE((SELECT jd_job_failure(j.jobasjson) FROM jobrunr_jobs j
        WHERE j.id = job AND j.state = 'FAILED'), ''));
END
$$;

CREATE FUNCTION jd_job_refresh_attempts(job CHAR(36), single BOOLEAN) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    keys RECORD;
BEGIN
    keys := jd_job_attempt_keys(job, single);
    -- Unchanged keys are not written: a bulk job's every recipient's attempt would rewrite its index entries.
    UPDATE jd_job_key SET tries = keys.tries, host = keys.host, code = keys.code, reply = keys.reply
        WHERE job_id = job AND (tries <> keys.tries OR host <> keys.host OR code <> keys.code OR reply <> keys.reply);
END
$$;

-- On JobRunr's table (attached by JobRunrTables): a job inserted gets its row, a job deleted loses its row and words,
-- a job that fails notes the words of its failure message.
CREATE FUNCTION jd_job_keys_on_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM jd_job_key WHERE job_id = OLD.id;
        DELETE FROM jd_job_word WHERE job_id = OLD.id;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM jd_job_keys_write(NEW.id, CASE WHEN NEW.state = 'FAILED' THEN jd_job_failure(NEW.jobasjson) ELSE '' END);
    ELSIF NEW.state = 'FAILED' AND OLD.state IS DISTINCT FROM 'FAILED' THEN
        PERFORM jd_job_note_words(NEW.id, jd_job_failure(NEW.jobasjson));
    END IF;
    RETURN NULL;
END
$$;

-- An e-mail inserted fills the row of its job or bulk job if that job came first (a generated store). As H2's trigger,
-- from the address and subject without the control characters and spaces at either end (Java's String.trim).
CREATE FUNCTION jd_job_keys_on_email() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    address TEXT := left(jd_lower(regexp_replace(NEW.to_addr, '^[\x01-\x20]+|[\x01-\x20]+$', '', 'g')), 320);
    title   TEXT := left(jd_lower(regexp_replace(NEW.subject, '^[\x01-\x20]+|[\x01-\x20]+$', '', 'g')), 200);
BEGIN
    IF NEW.job_id IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM jd_job_key WHERE job_id = NEW.job_id) THEN
            UPDATE jd_job_key SET recipient = address, subject = title WHERE job_id = NEW.job_id;
            PERFORM jd_job_note_words(NEW.job_id, NEW.subject);
        ELSIF EXISTS (SELECT 1 FROM jobrunr_jobs WHERE id = NEW.job_id) THEN
            PERFORM jd_job_key_now(NEW.job_id);
        END IF;
    END IF;
    IF NEW.bulk_job_id IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM jd_job_key WHERE job_id = NEW.bulk_job_id) THEN
            -- A bulk job's row names its first recipient in address order: this one, if it comes before the one named.
            UPDATE jd_job_key SET recipient = address, subject = title
                WHERE job_id = NEW.bulk_job_id AND (recipient = '' OR recipient > address);
            PERFORM jd_job_note_words(NEW.bulk_job_id, NEW.subject);
        ELSIF EXISTS (SELECT 1 FROM jobrunr_jobs WHERE id = NEW.bulk_job_id) THEN
            PERFORM jd_job_key_now(NEW.bulk_job_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- An attempt written refreshes its job's and bulk job's tries, host, code and reply; an error reply's words are noted.
CREATE FUNCTION jd_job_keys_on_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    error BOOLEAN := NEW.outcome IN ('TRANSIENT_FAILURE', 'PERMANENT_FAILURE') AND NEW.smtp_reply IS NOT NULL
        AND (TG_OP = 'INSERT' OR NEW.smtp_reply IS DISTINCT FROM OLD.smtp_reply);
BEGIN
    IF EXISTS (SELECT 1 FROM jd_job_key WHERE job_id = NEW.job_id) THEN
        PERFORM jd_job_refresh_attempts(NEW.job_id, TRUE);
        IF error THEN
            PERFORM jd_job_note_words(NEW.job_id, NEW.smtp_reply);
        END IF;
    ELSIF EXISTS (SELECT 1 FROM jobrunr_jobs WHERE id = NEW.job_id) THEN
        PERFORM jd_job_key_now(NEW.job_id);
    END IF;
    IF NEW.bulk_job_id IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM jd_job_key WHERE job_id = NEW.bulk_job_id) THEN
            PERFORM jd_job_refresh_attempts(NEW.bulk_job_id, FALSE);
            IF error THEN
                PERFORM jd_job_note_words(NEW.bulk_job_id, NEW.smtp_reply);
            END IF;
        ELSIF EXISTS (SELECT 1 FROM jobrunr_jobs WHERE id = NEW.bulk_job_id) THEN
            PERFORM jd_job_key_now(NEW.bulk_job_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- The triggers on jd_email and jd_delivery_attempt read JobRunr's table, so, as on H2, they are created with the one on
-- that table, once JobRunr's own migrations have run (JobRunrTables.migratePostgres).
