package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The incidents table: what happened to which host, when, and which jobs it held at that moment. */
public final class IncidentLog {

    private final DataSource dataSource;

    public IncidentLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records an incident with its in-flight jobs in one transaction and returns its id. */
    public UUID record(HostRecord host, Incident.Action action, Instant happenedAt, List<Incident.InFlightJob> inFlight,
                       String note) throws SQLException {
        UUID id = UUID.randomUUID();
        Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jd_incident"
                    + " (id, host_id, host_name, action, happened_at, note) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setObject(1, id);
                insert.setObject(2, host.id());
                insert.setString(3, host.name());
                insert.setString(4, action.name());
                insert.setObject(5, Outbox.utc(happenedAt));
                insert.setString(6, note == null ? null : note.substring(0, Math.min(note.length(), 1000)));
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO jd_incident_job (incident_id, job_id, email_id) VALUES (?, ?, ?)")) {
                for (Incident.InFlightJob job : inFlight) {
                    insert.setObject(1, id);
                    insert.setString(2, job.jobId().toString());
                    insert.setObject(3, job.emailId());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        return id;
    }

    public void detected(UUID incidentId, Instant at, int requeued) throws SQLException {
        update("UPDATE jd_incident SET detected_at = ?, requeued = ? WHERE id = ?", Outbox.utc(at), requeued, incidentId);
    }

    public void replacedBy(UUID incidentId, String replacement) throws SQLException {
        update("UPDATE jd_incident SET replacement = ? WHERE id = ?", replacement, incidentId);
    }

    /** The most recent incidents first, with their in-flight jobs. */
    public List<Incident> recent(int limit) throws SQLException {
        String newest = "SELECT id FROM jd_incident ORDER BY happened_at DESC LIMIT " + Math.max(1, limit);
        Map<UUID, List<Incident.InFlightJob>> jobs = new LinkedHashMap<>();
        List<Incident> incidents = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement("SELECT incident_id, job_id, email_id"
                    + " FROM jd_incident_job WHERE incident_id IN (" + newest + ") ORDER BY job_id");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    jobs.computeIfAbsent(rows.getObject("incident_id", UUID.class), id -> new ArrayList<>())
                            .add(new Incident.InFlightJob(UUID.fromString(rows.getString("job_id")),
                                    rows.getObject("email_id", UUID.class)));
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT id, host_id, host_name, action,"
                    + " happened_at, detected_at, requeued, replacement, note FROM jd_incident"
                    + " WHERE id IN (" + newest + ") ORDER BY happened_at DESC");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject("id", UUID.class);
                    int requeued = rows.getInt("requeued");
                    Integer requeuedOrNull = rows.wasNull() ? null : requeued;
                    OffsetDateTime detected = rows.getObject("detected_at", OffsetDateTime.class);
                    incidents.add(new Incident(id, rows.getObject("host_id", UUID.class), rows.getString("host_name"),
                            Incident.Action.valueOf(rows.getString("action")),
                            rows.getObject("happened_at", OffsetDateTime.class).toInstant(),
                            detected == null ? null : detected.toInstant(), requeuedOrNull,
                            rows.getString("replacement"), rows.getString("note"),
                            List.copyOf(jobs.getOrDefault(id, List.of()))));
                }
            }
        }
        return incidents;
    }

    private void update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        }
    }
}
