package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobRunrJobs;
import dev.jobdeck.core.jobs.jobrunr.JobStates;
import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.store.SqlDialect;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The retention pass's first step (decision 26): an e-mail the server accepted whose job succeeded (or whose own job
 * is gone, a bulk job's recipient) is delivered for good; its row is marked settled and its batch's total counts it,
 * in one commit, so the survival report adds the totals to a scan of the e-mails still open.
 */
final class Settlement {

    private Settlement() {
    }

    /**
     * Set-based, {@code chunk} open e-mails per commit, each a range of e-mail ids of one kind: the end of the range is
     * read from the index of open e-mails ({@code settled_at, kind, id, ...}) in its order, so the range holds {@code
     * chunk} open e-mails; one statement marks those of the range that are delivered for good and returns them per
     * batch, one adds them to their batches' totals. Every open e-mail is read once per pass; row by row, the pass
     * re-read the open e-mails that cannot settle (failed, pending) for each 2,000 it settled.
     */
    static long settle(DataSource dataSource, SqlDialect dialect, Clock clock, int chunk) throws SQLException {
        // Ids compare as unsigned 128-bit numbers in H2: from the smallest, inclusive, each range ends at an id.
        String end = "SELECT id FROM jd_email WHERE settled_at IS NULL AND kind = ? AND id %s ?"
                + " ORDER BY settled_at, kind, id OFFSET " + (chunk - 1) + " ROWS FETCH FIRST 1 ROW ONLY";
        String succeeded = JobStates.literal(JobState.SUCCEEDED);
        // The job's state by its id alone (its own job, or none: a bulk job's recipient); as a join, or with the
        // state in an EXISTS, H2 reads the state index instead.
        String marking = "UPDATE jd_email e SET settled_at = ?"
                + " WHERE e.settled_at IS NULL AND e.kind = ? AND e.id %s ? AND e.id <= ?"
                + " AND " + SurvivalReports.DELIVERED
                + " AND COALESCE((SELECT j.state FROM " + JobRunrJobs.JOBS + " j WHERE j.id = e.job_id), " + succeeded
                + ") = " + succeeded;
        String mark = dialect.countUpdated(marking, "batch_id");
        long total = 0;
        for (String kind : List.of("ONE_OFF", "RECURRING_RUN")) {
            UUID from = FIRST_ID;
            String after = ">=";
            while (true) {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    try {
                        UUID to = LAST_ID;
                        try (PreparedStatement query = SqlDialect.prepare(connection, end.formatted(after))) {
                            query.setString(1, kind);
                            query.setObject(2, from);
                            try (ResultSet row = query.executeQuery()) {
                                if (row.next()) {
                                    to = row.getObject(1, UUID.class);
                                }
                            }
                        }
                        Map<UUID, Long> perBatch = new HashMap<>();
                        try (PreparedStatement update = SqlDialect.prepare(connection, mark.formatted(after))) {
                            update.setObject(1, clock.instant().atOffset(ZoneOffset.UTC));
                            update.setString(2, kind);
                            update.setObject(3, from);
                            update.setObject(4, to);
                            try (ResultSet rows = update.executeQuery()) {
                                while (rows.next()) {
                                    UUID batch = rows.getObject(1, UUID.class);
                                    long settled = rows.getLong(2);
                                    if (batch != null) {
                                        perBatch.merge(batch, settled, Long::sum);
                                    }
                                    perBatch.merge(RetentionPass.EVERYTHING, settled, Long::sum);
                                }
                            }
                        }
                        addSettled(connection, dialect, perBatch);
                        connection.commit();
                        total += perBatch.getOrDefault(RetentionPass.EVERYTHING, 0L);
                        if (to.equals(LAST_ID)) {
                            break;
                        }
                        from = to;
                        after = ">";
                    } catch (SQLException | RuntimeException e) {
                        connection.rollback();
                        throw e;
                    }
                }
            }
        }
        return total;
    }

    private static final UUID FIRST_ID = new UUID(0L, 0L);
    private static final UUID LAST_ID = new UUID(-1L, -1L);

    /** Adds settled e-mails to their batches' totals (accepted, delivered and succeeded alike), in one statement. */
    private static void addSettled(Connection connection, SqlDialect dialect, Map<UUID, Long> perBatch)
            throws SQLException {
        if (perBatch.isEmpty()) {
            return;
        }
        try (PreparedStatement merge = connection.prepareStatement(dialect.addPerKey("jd_ledger_total", "batch_id",
                "UUID", List.of("accepted", "delivered", "succeeded")))) {
            UUID[] batches = new UUID[perBatch.size()];
            Long[] counts = new Long[perBatch.size()];
            int i = 0;
            for (Map.Entry<UUID, Long> batch : perBatch.entrySet()) {
                batches[i] = batch.getKey();
                counts[i++] = batch.getValue();
            }
            dialect.setArray(merge, 1, "UUID", batches);
            dialect.setArray(merge, 2, "BIGINT", counts);
            merge.executeUpdate();
        }
    }
}
