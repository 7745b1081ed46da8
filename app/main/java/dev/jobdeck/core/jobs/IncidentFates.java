package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.store.SqlDialect;
import dev.jobdeck.core.store.Incident;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.jobdeck.core.jobs.SurvivalReports.DELIVERED;

/**
 * What became of the jobs a host held when it crashed or was recycled (an incident's part of the survival report):
 * each job's own state history in JobRunr after the incident, read through JobRunr's API ({@code getJobById}), with
 * its recipient from the outbox.
 */
final class IncidentFates {

    private static final Set<StateName> FINAL = Set.of(StateName.SUCCEEDED, StateName.FAILED, StateName.DELETED);

    private final DataSource dataSource;
    private final StorageProvider storage;

    IncidentFates(DataSource dataSource, StorageProvider storage) {
        this.dataSource = dataSource;
        this.storage = storage;
    }

    SurvivalReport.IncidentReport incidentReport(Incident incident) throws SQLException {
        Map<UUID, String> recipients = recipientsOf(incident.inFlight());
        List<SurvivalReport.JobFate> fates = new ArrayList<>();
        Instant lastDone = null;
        boolean allDone = true;
        for (Incident.InFlightJob inFlight : incident.inFlight()) {
            String recipient = inFlight.emailId() != null ? recipients.get(inFlight.emailId()) : bulkRecipients(inFlight.jobId());
            SurvivalReport.JobFate fate = fateOf(inFlight, incident.happenedAt(), recipient);
            fates.add(fate);
            if (fate.finishedAt() == null) {
                allDone = false;
            } else if (lastDone == null || fate.finishedAt().isAfter(lastDone)) {
                lastDone = fate.finishedAt();
            }
        }
        Duration allDoneAfter = allDone && lastDone != null ? Duration.between(incident.happenedAt(), lastDone) : null;
        return new SurvivalReport.IncidentReport(incident.id(), incident.hostName(), incident.action(),
                incident.happenedAt(), incident.detectedAt(), incident.requeued(), incident.replacement(), incident.note(),
                fates, allDoneAfter, lostWith(incident.hostId()));
    }

    private SurvivalReport.JobFate fateOf(Incident.InFlightJob inFlight, Instant happenedAt, String recipient) {
        Job job;
        try {
            job = storage.getJobById(inFlight.jobId());
        } catch (JobNotFoundException e) {
            return new SurvivalReport.JobFate(inFlight.jobId(), inFlight.emailId(), recipient, null, null, null,
                    "GONE", null);
        }
        Instant orphanedAt = null;
        Instant ranAgainAt = null;
        String ranAgainOn = null;
        List<org.jobrunr.jobs.states.JobState> states = job.getJobStates();
        // Skip the Processing state the job was in when its host went; everything after it is the recovery.
        int start = 0;
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i) instanceof ProcessingState && !states.get(i).getCreatedAt().isAfter(happenedAt)) {
                start = i + 1;
            }
        }
        for (int i = start; i < states.size(); i++) {
            org.jobrunr.jobs.states.JobState state = states.get(i);
            if (orphanedAt == null && !(state instanceof ProcessingState)) {
                orphanedAt = state.getCreatedAt();
            }
            if (state instanceof ProcessingState processing && ranAgainAt == null) {
                ranAgainAt = processing.getCreatedAt();
                ranAgainOn = processing.getServerName();
            }
        }
        StateName now = job.getState();
        Instant finishedAt = FINAL.contains(now) && start < states.size() ? job.getJobState().getCreatedAt() : null;
        return new SurvivalReport.JobFate(job.getId(), inFlight.emailId(), recipient, orphanedAt, ranAgainAt, ranAgainOn,
                now.name(), finishedAt);
    }

    private Map<UUID, String> recipientsOf(List<Incident.InFlightJob> jobs) throws SQLException {
        Map<UUID, String> recipients = new HashMap<>();
        if (jobs.isEmpty()) {
            return recipients;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT to_addr FROM jd_email WHERE id = ?")) {
            for (Incident.InFlightJob job : jobs) {
                if (job.emailId() == null) {
                    continue;
                }
                query.setObject(1, job.emailId());
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        recipients.put(job.emailId(), rows.getString(1));
                    }
                }
            }
        }
        return recipients;
    }

    /** The recipients of a bulk job, as its row on the Jobs screen names them; null for any other job. */
    private String bulkRecipients(UUID jobId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, 
                     "SELECT MIN(to_addr), COUNT(*) FROM jd_email WHERE bulk_job_id = ?")) {
            query.setString(1, jobId.toString());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getLong(2) > 0 ? rows.getString(1) + " and " + (rows.getLong(2) - 1) + " more" : null;
            }
        }
    }

    /** For an in-memory host: e-mails handed to it that were never sent (0 for JobRunr hosts, which hold no e-mails). */
    private long lostWith(UUID hostId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = SqlDialect.prepare(connection, "SELECT COUNT(*) FROM jd_email e JOIN jd_host h"
                     + " ON h.id = e.memory_host WHERE e.memory_host = ? AND h.stopped_at IS NOT NULL AND NOT " + DELIVERED)) {
            query.setObject(1, hostId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

}
