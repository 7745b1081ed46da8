package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Named settings kept in the (password-protected) database rather than in a plain config file. */
public final class Settings {

    private final DataSource dataSource;

    public Settings(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<String, String> readAll(String prefix) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT name, setting_value FROM jd_setting WHERE name LIKE ?")) {
            query.setString(1, prefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return values;
    }

    public Optional<String> get(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT setting_value FROM jd_setting WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /** Sets one setting, or removes it when {@code value} is null. */
    public void put(String name, String value) throws SQLException {
        putAll(Collections.singletonMap(name, value));
    }

    /** Sets several settings at once, removing those mapped to null; all or nothing. */
    public void putAll(Map<String, String> values) throws SQLException {
        Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement merge = connection.prepareStatement(
                    SqlDialect.of(connection).upsert("jd_setting", List.of("name"), List.of("setting_value")));
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM jd_setting WHERE name = ?")) {
                for (Map.Entry<String, String> entry : values.entrySet()) {
                    if (entry.getValue() == null) {
                        delete.setString(1, entry.getKey());
                        delete.executeUpdate();
                    } else {
                        merge.setString(1, entry.getKey());
                        merge.setString(2, entry.getValue());
                        merge.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    /** Replaces every setting under {@code prefix} with {@code values}, atomically. */
    public void replaceAll(String prefix, Map<String, String> values) throws SQLException {
        Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM jd_setting WHERE name LIKE ?");
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO jd_setting (name, setting_value) VALUES (?, ?)")) {
                delete.setString(1, prefix + "%");
                delete.executeUpdate();
                for (Map.Entry<String, String> entry : values.entrySet()) {
                    insert.setString(1, entry.getKey());
                    insert.setString(2, entry.getValue());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }
}
