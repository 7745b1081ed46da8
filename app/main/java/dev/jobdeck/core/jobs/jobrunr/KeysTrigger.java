package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.store.TriggerColumns;
import org.h2.api.Trigger;

import java.sql.Clob;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Keeps {@code jd_job_key} (each job's sort keys: what its row in the Jobs table shows) and {@code jd_job_word} (the
 * words of its subject, error replies and failure message) as jobs, e-mails and attempts are written, in the writer's
 * transaction (decision 30). One class serves the three tables' triggers, told apart by the table it watches:
 * <ul>
 *     <li>a job inserted gets its row, from its e-mail(s) and attempts already there (e-mails come first when sent);
 *     a job deleted loses its row and words; a job that fails notes the words of its failure message;</li>
 *     <li>an e-mail inserted fills the row of its job or bulk job if that job came first (a generated store);</li>
 *     <li>an attempt written refreshes its job's and bulk job's tries, host, code and reply by index lookups.</li>
 * </ul>
 * Only the job's row is ever updated, and only by writes about that job, never on JobRunr's state changes, so JobRunr's
 * writers never wait on it. Created by {@link JobRunrSchema#migrate}; it must stay cheap and never fail.
 */
public class KeysTrigger implements Trigger {

    private static final List<String> ERRORS = List.of("TRANSIENT_FAILURE", "PERMANENT_FAILURE");

    private enum Source { JOBS, EMAILS, ATTEMPTS }

    private Source source;
    private int id;
    private int state;
    private int jobJson;
    private int jobId;
    private int bulkJobId;
    private int to;
    private int subject;
    private int outcome;
    private int reply;

    @Override
    public void init(Connection connection, String schema, String trigger, String table, boolean before, int type)
            throws SQLException {
        switch (table.toUpperCase(Locale.ROOT)) {
            case "JD_EMAIL" -> {
                source = Source.EMAILS;
                jobId = TriggerColumns.position(connection, schema, table, "JOB_ID");
                bulkJobId = TriggerColumns.position(connection, schema, table, "BULK_JOB_ID");
                to = TriggerColumns.position(connection, schema, table, "TO_ADDR");
                subject = TriggerColumns.position(connection, schema, table, "SUBJECT");
            }
            case "JD_DELIVERY_ATTEMPT" -> {
                source = Source.ATTEMPTS;
                jobId = TriggerColumns.position(connection, schema, table, "JOB_ID");
                bulkJobId = TriggerColumns.position(connection, schema, table, "BULK_JOB_ID");
                outcome = TriggerColumns.position(connection, schema, table, "OUTCOME");
                reply = TriggerColumns.position(connection, schema, table, "SMTP_REPLY");
            }
            default -> {
                source = Source.JOBS;
                id = TriggerColumns.position(connection, schema, table, "ID");
                state = TriggerColumns.position(connection, schema, table, "STATE");
                jobJson = TriggerColumns.position(connection, schema, table, "JOBASJSON");
            }
        }
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        switch (source) {
            case JOBS -> {
                if (newRow == null) {
                    JobKeyRows.forget(connection, text(oldRow[id]));
                } else if (oldRow == null) {
                    JobKeyRows.insertKeys(connection, text(newRow[id]), failed(newRow[state]) ? failureText(newRow[jobJson]) : "");
                } else if (failed(newRow[state]) && !failed(oldRow[state])) {
                    JobKeyRows.noteWords(connection, text(newRow[id]), failureText(newRow[jobJson]));
                }
            }
            case EMAILS -> {
                if (newRow == null || oldRow != null) {
                    return;
                }
                String own = text(newRow[jobId]);
                String bulk = text(newRow[bulkJobId]);
                String address = text(newRow[to]);
                String title = text(newRow[subject]);
                if (own != null && JobKeyRows.hasKeys(connection, own)) {
                    JobKeyRows.setEmail(connection, own, address, title);
                    JobKeyRows.noteWords(connection, own, title);
                } else if (own != null && JobKeyRows.exists(connection, own)) {
                    JobKeyRows.keyNow(connection, own);
                }
                if (bulk != null && JobKeyRows.hasKeys(connection, bulk)) {
                    JobKeyRows.offerMember(connection, bulk, address, title);
                    JobKeyRows.noteWords(connection, bulk, title);
                } else if (bulk != null && JobKeyRows.exists(connection, bulk)) {
                    JobKeyRows.keyNow(connection, bulk);
                }
            }
            case ATTEMPTS -> {
                if (newRow == null) {
                    return;
                }
                String own = text(newRow[jobId]);
                String bulk = text(newRow[bulkJobId]);
                String newReply = text(newRow[reply]);
                boolean error = ERRORS.contains(text(newRow[outcome])) && newReply != null
                        && (oldRow == null || !newReply.equals(text(oldRow[reply])));
                if (JobKeyRows.hasKeys(connection, own)) {
                    JobKeyRows.refreshSingle(connection, own);
                    if (error) {
                        JobKeyRows.noteWords(connection, own, newReply);
                    }
                } else if (JobKeyRows.exists(connection, own)) {
                    JobKeyRows.keyNow(connection, own);
                }
                if (bulk != null && JobKeyRows.hasKeys(connection, bulk)) {
                    JobKeyRows.refreshBulk(connection, bulk);
                    if (error) {
                        JobKeyRows.noteWords(connection, bulk, newReply);
                    }
                } else if (bulk != null && JobKeyRows.exists(connection, bulk)) {
                    JobKeyRows.keyNow(connection, bulk);
                }
            }
            default -> throw new IllegalStateException("unknown source");
        }
    }

    private static boolean failed(Object state) {
        return JobState.FAILED.name().equals(text(state));
    }

    /** The text of JobRunr's latest Failed state in the job's JSON (a CLOB or a String): its message and the exception's. */
    private static String failureText(Object value) {
        try {
            return KeyText.failureOf(value instanceof Clob clob ? clob.getSubString(1, (int) clob.length()) : text(value));
        } catch (SQLException e) {
            return "";
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString().trim();
    }
}
