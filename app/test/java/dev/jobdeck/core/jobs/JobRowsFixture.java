package dev.jobdeck.core.jobs;

import org.jobrunr.jobs.states.StateName;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes jobs straight into JobRunr's table (and their e-mails into the outbox) for tests of the dashboard's
 * queries: thousands of rows in a second, no JobRunr server to run them. The job JSON is a stand-in: the dashboard's
 * statements never read it. Use on a store no host works on (a script that owns the file).
 */
final class JobRowsFixture {

    static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");
    private static final StateName[] MIX = {StateName.SUCCEEDED, StateName.SUCCEEDED, StateName.SUCCEEDED,
            StateName.FAILED, StateName.SCHEDULED, StateName.ENQUEUED, StateName.SUCCEEDED, StateName.DELETED};

    private final DataSource dataSource;
    private final List<UUID> jobs = new ArrayList<>();
    private int next;

    JobRowsFixture(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<UUID> jobs() {
        return jobs;
    }

    /**
     * {@code count} single jobs, job i to {@code user<i>@d<i % 7>.example} with subject {@code Invoice <i % 13>}, in
     * a mix of states, updated a second apart but in pairs at the same instant (ties in the sort key).
     */
    List<UUID> singles(int count) throws SQLException {
        List<UUID> added = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement job = connection.prepareStatement(JOB);
             PreparedStatement email = connection.prepareStatement(EMAIL)) {
            connection.setAutoCommit(false);
            for (int k = 0; k < count; k++) {
                int i = next++;
                UUID id = UUID.randomUUID();
                addJob(job, id, MIX[i % MIX.length], BASE.plusSeconds(i / 2));
                addEmail(email, UUID.randomUUID(), id, null, "User" + i + "@d" + (i % 7) + ".example", "Invoice " + (i % 13));
                added.add(id);
            }
            job.executeBatch();
            email.executeBatch();
            connection.commit();
        }
        jobs.addAll(added);
        return added;
    }

    /**
     * One bulk job delivering to {@code recipients} addresses {@code <prefix><n>@bulk.example}, in reverse order; each
     * recipient was sent once by host {@code host-<n>} at {@link #BASE} + n s, and recipient 7 needed two tries.
     */
    UUID bulk(String prefix, int recipients, String subject) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement job = connection.prepareStatement(JOB);
             PreparedStatement email = connection.prepareStatement(EMAIL);
             PreparedStatement attempt = connection.prepareStatement(ATTEMPT)) {
            connection.setAutoCommit(false);
            addJob(job, id, StateName.SUCCEEDED, BASE.plusSeconds(next++ / 2));
            job.executeBatch();
            for (int n = recipients - 1; n >= 0; n--) {
                UUID emailId = UUID.randomUUID();
                UUID ownJob = UUID.randomUUID();
                addEmail(email, emailId, ownJob, id, prefix + n + "@bulk.example", subject);
                for (int a = 1; a <= (n == 7 ? 2 : 1); a++) {
                    attempt.setString(1, ownJob.toString());
                    attempt.setInt(2, a);
                    attempt.setObject(3, emailId);
                    attempt.setString(4, "host-" + n);
                    attempt.setTimestamp(5, Timestamp.from(BASE.plusSeconds(n)));
                    attempt.setTimestamp(6, Timestamp.from(BASE.plusSeconds(n)));
                    attempt.setString(7, "250 2.0.0 ok " + n);
                    attempt.setString(8, "<" + ownJob + "@jobdeck>");
                    attempt.addBatch();
                }
            }
            email.executeBatch();
            attempt.executeBatch();
            connection.commit();
        }
        jobs.add(id);
        return id;
    }

    /** Moves a job to {@code state} now, as JobRunr does: a new state and a new last update. */
    void update(UUID id, StateName state, Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE jobrunr_jobs SET state = ?, updatedAt = ?, version = version + 1 WHERE id = ?")) {
            update.setString(1, state.name());
            update.setTimestamp(2, Timestamp.from(at));
            update.setString(3, id.toString());
            update.executeUpdate();
        }
    }

    void delete(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM jobrunr_jobs WHERE id = ?")) {
            delete.setString(1, id.toString());
            delete.executeUpdate();
        }
        jobs.remove(id);
    }

    private static final String JOB = "INSERT INTO jobrunr_jobs (id, version, jobAsJson, jobSignature, state, createdAt,"
            + " updatedAt, scheduledAt) VALUES (?, 1, '{}', 'dev.jobdeck.core.jobs.EmailJob.send(java.util.UUID)', ?, ?, ?, ?)";
    private static final String EMAIL = "INSERT INTO jd_email (id, kind, job_id, batch_id, from_addr, to_addr, subject,"
            + " body, created_at, bulk_job_id) VALUES (?, 'ONE_OFF', ?, ?, 'ops@jobdeck.test', ?, ?, 'Body', ?, ?)";

    private static final String ATTEMPT = "INSERT INTO jd_delivery_attempt (job_id, attempt, email_id, host, started_at,"
            + " finished_at, outcome, smtp_code, smtp_reply, message_id) VALUES (?, ?, ?, ?, ?, ?, 'SENT', 250, ?, ?)";

    private static void addJob(PreparedStatement job, UUID id, StateName state, Instant updated) throws SQLException {
        job.setString(1, id.toString());
        job.setString(2, state.name());
        job.setTimestamp(3, Timestamp.from(BASE));
        job.setTimestamp(4, Timestamp.from(updated));
        job.setTimestamp(5, state == StateName.SCHEDULED ? Timestamp.from(updated.plusSeconds(86_400)) : null);
        job.addBatch();
    }

    /** A bulk job's e-mail keeps an id of its own ({@code jobId}) for the job it gets when retried alone (decision 10). */
    private static void addEmail(PreparedStatement email, UUID emailId, UUID jobId, UUID bulkJobId, String to,
                                 String subject) throws SQLException {
        email.setObject(1, emailId);
        email.setString(2, jobId.toString());
        email.setObject(3, UUID.randomUUID());
        email.setString(4, to);
        email.setString(5, subject);
        email.setTimestamp(6, Timestamp.from(BASE));
        email.setString(7, bulkJobId == null ? null : bulkJobId.toString());
        email.addBatch();
    }
}
