package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.BodyFormat;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The operator's saved templates ({@code jd_template}), by name. */
public final class TemplateTable {

    private static final String COLUMNS = "name, subject, body, format, text_alt, updated_at";
    private static final List<String> KEY = List.of("name");
    private static final List<String> OTHERS = List.of("subject", "body", "format", "text_alt", "updated_at");

    private final DataSource dataSource;

    public TemplateTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every saved template, by name (case-insensitive order, as the operator reads a list). */
    public List<SavedTemplate> all() throws SQLException {
        List<SavedTemplate> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM jd_template ORDER BY LOWER(name), name");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                result.add(read(rows));
            }
        }
        return result;
    }

    public Optional<SavedTemplate> find(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM jd_template WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    /** Inserts, or replaces the template of the same name; returns whether one was replaced. */
    public boolean save(SavedTemplate template) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            boolean existed;
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM jd_template WHERE name = ?")) {
                query.setString(1, template.name());
                try (ResultSet rows = query.executeQuery()) {
                    existed = rows.next();
                }
            }
            try (PreparedStatement merge = connection.prepareStatement(
                    SqlDialect.of(connection).upsert("jd_template", KEY, OTHERS))) {
                merge.setString(1, template.name());
                merge.setString(2, template.subject());
                merge.setString(3, template.body());
                merge.setString(4, template.format().name());
                merge.setString(5, template.textAlternative());
                merge.setObject(6, Outbox.utc(template.updatedAt()));
                merge.executeUpdate();
            }
            return existed;
        });
    }

    /** Deletes the template; returns whether there was one. */
    public boolean delete(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM jd_template WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0;
        }
    }

    private static SavedTemplate read(ResultSet rows) throws SQLException {
        return new SavedTemplate(rows.getString("name"), rows.getString("subject"), rows.getString("body"),
                BodyFormat.valueOf(rows.getString("format")), rows.getString("text_alt"),
                rows.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
