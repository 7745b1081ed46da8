package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.mail.SinkMailbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in sink's mailbox in {@code jd_sink_message}, so the Mailbox screen shows what arrived
 * before the console was restarted. Newest first means highest id first: ids follow arrival, where
 * timestamps can tie within a millisecond.
 */
public final class SinkMailboxTable implements SinkMailbox {

    private final DataSource dataSource;
    private final GroupCommit writes;

    /** @param writes commits the messages that arrive together on several connections in one go */
    public SinkMailboxTable(DataSource dataSource, GroupCommit writes) {
        this.dataSource = dataSource;
        this.writes = writes;
    }

    @Override
    public void record(ReceivedMail mail, byte[] raw) throws SQLException {
        writes.run(connection -> insert(connection, mail, raw));
    }

    private static int insert(Connection connection, ReceivedMail mail, byte[] raw) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO jd_sink_message (received_at, from_addr, to_addr, recipients, subject, message_id, size_bytes, raw)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, Outbox.utc(mail.receivedAt()));
            insert.setString(2, cut(mail.from(), 2000));
            insert.setString(3, cut(mail.to(), 8000));
            insert.setString(4, cut(mail.recipients(), 8000));
            insert.setString(5, cut(mail.subject(), 4000));
            insert.setString(6, cut(mail.messageId(), 998));
            insert.setLong(7, mail.sizeBytes());
            insert.setBytes(8, raw);
            return insert.executeUpdate();
        }
    }

    @Override
    public List<ReceivedMail> newestFirst(int limit) throws SQLException {
        List<ReceivedMail> mails = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT received_at, from_addr, to_addr, subject, message_id, recipients, size_bytes
                     FROM jd_sink_message ORDER BY id DESC FETCH FIRST ? ROWS ONLY""")) {
            query.setInt(1, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    mails.add(new ReceivedMail(rows.getObject(1, OffsetDateTime.class).toInstant(), rows.getString(2),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6), rows.getLong(7)));
                }
            }
        }
        return mails;
    }

    @Override
    public int count() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM jd_sink_message")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Override
    public void clear() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM jd_sink_message");
        }
    }

    @Override
    public Map<String, Integer> duplicateMessageIds() throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT message_id, COUNT(*) FROM jd_sink_message WHERE message_id <> ''
                     GROUP BY message_id HAVING COUNT(*) > 1 ORDER BY message_id""")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }

    @Override
    public int countByMessageId(String messageId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM jd_sink_message WHERE message_id = ?")) {
            query.setString(1, messageId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /**
     * Moves the messages a console recorded in the store's own {@code jd_sink_message}, before the mailbox had a
     * database of its own, into this one, and drops that table. Copied in one transaction and only into an empty
     * mailbox, so a crash between the copy and the drop copies nothing twice. Run before the sink starts.
     *
     * @return how many messages were moved
     */
    public int adoptMessagesFrom(DataSource store) throws SQLException {
        try (Connection from = store.getConnection()) {
            if (!hasOldTable(from)) {
                return 0;
            }
            int moved = count() > 0 ? 0 : Transactions.inTransaction(dataSource, to -> copy(from, to));
            try (Statement drop = from.createStatement()) {
                drop.executeUpdate("DROP TABLE jd_sink_message");
            }
            return moved;
        }
    }

    private static boolean hasOldTable(Connection store) throws SQLException {
        try (ResultSet tables = store.getMetaData().getTables(null, "PUBLIC", "JD_SINK_MESSAGE", null)) {
            return tables.next();
        }
    }

    private static int copy(Connection from, Connection to) throws SQLException {
        String columns = "id, received_at, from_addr, to_addr, recipients, subject, message_id, size_bytes, raw";
        int moved = 0;
        try (Statement read = from.createStatement();
             ResultSet rows = read.executeQuery("SELECT " + columns + " FROM jd_sink_message ORDER BY id");
             PreparedStatement insert = to.prepareStatement("INSERT INTO jd_sink_message (" + columns
                     + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            while (rows.next()) {
                for (int column = 1; column <= 9; column++) {
                    insert.setObject(column, rows.getObject(column));
                }
                insert.addBatch();
                if (++moved % 500 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        // Later messages get ids after the moved ones, so newest-first stays arrival order.
        long next;
        try (Statement query = to.createStatement();
             ResultSet max = query.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM jd_sink_message")) {
            max.next();
            next = max.getLong(1);
        }
        try (Statement restart = to.createStatement()) {
            restart.execute("ALTER TABLE jd_sink_message ALTER COLUMN id RESTART WITH " + next);
        }
        return moved;
    }

    private static String cut(String text, int max) {
        return text == null ? "" : text.length() <= max ? text : text.substring(0, max);
    }
}
