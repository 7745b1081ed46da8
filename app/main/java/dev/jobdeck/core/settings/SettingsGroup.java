package dev.jobdeck.core.settings;

import dev.jobdeck.core.store.Settings;

import java.sql.SQLException;
import java.util.Map;

/**
 * One group of settings kept in the store's settings table under one prefix ({@code retry.}, {@code delivery.},
 * {@code hosts.}, {@code retention.}): the one shape in which each is loaded and saved (decision 43). A group reads
 * its values from their texts and writes them back as texts; loading falls back to the defaults when a value was
 * edited by hand into nonsense (deliver and run with the defaults rather than refuse to start), and saving replaces
 * the whole group at once.
 *
 * @param <T> the settings' value type, a record that checks itself
 */
public interface SettingsGroup<T> {

    /** Every key of the group starts with this, e.g. {@code "retry."}. */
    String prefix();

    T defaults();

    /**
     * The value from the stored texts ({@code values} holds only the group's keys; a missing key means its default).
     *
     * @throws IllegalArgumentException when a stored text does not parse or is out of range
     */
    T fromTexts(Map<String, String> values);

    /** Every key of the group with its text, as {@link #fromTexts} reads it back. */
    Map<String, String> toTexts(T value);

    default T load(Settings table) throws SQLException {
        Map<String, String> values = table.readAll(prefix());
        try {
            return fromTexts(values);
        } catch (IllegalArgumentException e) {
            return defaults();
        }
    }

    default void save(Settings table, T value) throws SQLException {
        table.replaceAll(prefix(), toTexts(value));
    }
}
