package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.SendLimits;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * {@link SendLimits} kept in the store, so that every host on it (the console's and each worker JVM) counts
 * against the same numbers. See decision 10.
 *
 * <ul>
 *   <li><b>Connections</b>: {@code jd_smtp_slot} has one row per allowed connection to a server. Opening a
 *       connection takes a free row (no holder, or an expired lease) in one conditional UPDATE; closing it clears
 *       the row. Leases last {@link #SLOT_LEASE} and are renewed every third of that while held, so a host killed
 *       with {@code kill -9} frees its slots within 30 s.</li>
 *   <li><b>Messages per second</b>: {@code jd_send_rate} is a token bucket per server, refilled lazily from the
 *       database's clock (one clock for all processes). A host takes a few tokens at a time in one conditional
 *       UPDATE, and uses them within {@link #STOCK_LIFETIME} or drops them, so the tokens it holds cannot pile up
 *       into a burst.</li>
 * </ul>
 * A limit of 0 means unlimited and costs nothing.
 */
public final class SendLimitTables implements SendLimits, AutoCloseable {

    static final Duration SLOT_LEASE = Duration.ofSeconds(30);
    static final Duration STOCK_LIFETIME = Duration.ofMillis(100);
    private static final System.Logger LOG = System.getLogger(SendLimitTables.class.getName());
    private static final String FREE = "(holder IS NULL OR expires_at < CURRENT_TIMESTAMP)";

    private final DataSource dataSource;
    private final IntSupplier maxConnections;
    private final IntSupplier maxPerSecond;
    private final String token = UUID.randomUUID().toString();
    private final AtomicLong leases = new AtomicLong();
    private final Set<String> preparedSlots = ConcurrentHashMap.newKeySet();
    private final Set<String> preparedBuckets = ConcurrentHashMap.newKeySet();
    private final Map<String, Stock> stocks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;

    /**
     * @param maxConnections connections per server across all hosts, read at each acquisition; 0 for no limit
     * @param maxPerSecond   messages per second per server across all hosts, read at each acquisition; 0 for no limit
     */
    public SendLimitTables(DataSource dataSource, IntSupplier maxConnections, IntSupplier maxPerSecond) {
        this.dataSource = dataSource;
        this.maxConnections = maxConnections;
        this.maxPerSecond = maxPerSecond;
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-smtp-slots");
            thread.setDaemon(true);
            return thread;
        });
        long period = SLOT_LEASE.toMillis() / 3;
        renewer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Slot> tryAcquireConnection(String server) {
        int limit = maxConnections.getAsInt();
        if (limit <= 0) {
            return Optional.of(() -> { });
        }
        String holder = token + ":" + leases.incrementAndGet();
        try {
            prepareSlots(server, limit);
            Integer slot = takeSlot(server, limit, holder);
            return slot == null ? Optional.empty() : Optional.of(() -> releaseSlot(server, slot, holder));
        } catch (SQLException e) {
            // 90131: two hosts raced for the same row on H2; the loser tries again like any other host that waits.
            // PostgreSQL makes the loser wait for the winner's row instead, which it then finds taken: no slot, no error.
            if (e.getErrorCode() == 90131) {
                return Optional.empty();
            }
            throw new IllegalStateException("Cannot take a connection slot for " + server + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void acquireMessage(String server) throws InterruptedException {
        while (true) {
            int rate = maxPerSecond.getAsInt();
            if (rate <= 0) {
                return;
            }
            Stock stock = stocks.computeIfAbsent(server, s -> new Stock());
            synchronized (stock) {
                long now = System.nanoTime();
                if (stock.left > 0 && now < stock.expires) {
                    stock.left--;
                    return;
                }
                int chunk = Math.max(1, rate / 20);
                int capacity = Math.max(chunk, rate / 10);
                try {
                    int granted = takeTokens(server, rate, capacity, chunk);
                    if (granted == 0 && chunk > 1) {
                        granted = takeTokens(server, rate, capacity, 1);
                    }
                    if (granted > 0) {
                        stock.left = granted - 1;
                        stock.expires = System.nanoTime() + STOCK_LIFETIME.toNanos();
                        return;
                    }
                } catch (SQLException e) {
                    if (e.getErrorCode() != 90131) {
                        throw new IllegalStateException("Cannot take a send permit for " + server + ": " + e.getMessage(), e);
                    }
                }
            }
            Thread.sleep(Math.max(2, 1000L / rate));
        }
    }

    private void prepareSlots(String server, int limit) throws SQLException {
        if (preparedSlots.contains(server + "#" + limit)) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement merge = connection.prepareStatement(
                     SqlDialect.of(connection).upsert("jd_smtp_slot", List.of("server", "slot_no"), List.of()))) {
            for (int slot = 0; slot < limit; slot++) {
                merge.setString(1, server);
                merge.setInt(2, slot);
                merge.addBatch();
            }
            merge.executeBatch();
        }
        preparedSlots.add(server + "#" + limit);
    }

    /** Takes the lowest free slot below the limit in one statement; returns its number, or null when none is free. */
    private Integer takeSlot(String server, int limit, String holder) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement take = connection.prepareStatement("UPDATE jd_smtp_slot SET holder = ?, expires_at = "
                    + leaseEnd(connection) + " WHERE server = ? AND slot_no < ? AND " + FREE + " AND slot_no = (SELECT MIN(s.slot_no)"
                    + " FROM jd_smtp_slot s WHERE s.server = ? AND s.slot_no < ? AND (s.holder IS NULL"
                    + " OR s.expires_at < CURRENT_TIMESTAMP))")) {
                take.setString(1, holder);
                take.setString(2, server);
                take.setInt(3, limit);
                take.setString(4, server);
                take.setInt(5, limit);
                if (take.executeUpdate() == 0) {
                    return null;
                }
            }
            try (PreparedStatement which = connection.prepareStatement(
                    "SELECT slot_no FROM jd_smtp_slot WHERE server = ? AND holder = ?")) {
                which.setString(1, server);
                which.setString(2, holder);
                try (ResultSet rows = which.executeQuery()) {
                    return rows.next() ? rows.getInt(1) : null;
                }
            }
        }
    }

    private void releaseSlot(String server, int slot, String holder) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement release = connection.prepareStatement("UPDATE jd_smtp_slot SET holder = NULL,"
                     + " expires_at = NULL WHERE server = ? AND slot_no = ? AND holder = ?")) {
            release.setString(1, server);
            release.setInt(2, slot);
            release.setString(3, holder);
            release.executeUpdate();
        } catch (SQLException e) {
            // The lease runs out on its own within SLOT_LEASE.
            LOG.log(System.Logger.Level.WARNING, "Cannot give back connection slot " + slot + " of " + server + ": "
                    + e.getMessage());
        }
    }

    /** Extends the leases of every slot this process holds (package-private for the store's contract test). */
    void renew() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement renew = connection.prepareStatement(
                     "UPDATE jd_smtp_slot SET expires_at = " + leaseEnd(connection) + " WHERE holder LIKE ?")) {
            renew.setString(1, token + ":%");
            renew.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot renew this host's connection slots: " + e.getMessage());
        }
    }

    /**
     * Takes {@code wanted} tokens from the server's bucket if it holds that many after refilling; returns how many.
     * Package-private for the store's contract test.
     */
    int takeTokens(String server, int rate, int capacity, int wanted) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String refilled = "LEAST(CAST(? AS DOUBLE PRECISION), tokens + ? * "
                    + SqlDialect.of(connection).secondsBetween("updated_at", "CURRENT_TIMESTAMP") + ")";
            if (!preparedBuckets.contains(server)) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jd_send_rate (server, tokens,"
                        + " updated_at) SELECT ?, ?, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM jd_send_rate WHERE server = ?)")) {
                    insert.setString(1, server);
                    insert.setDouble(2, capacity);
                    insert.setString(3, server);
                    insert.executeUpdate();
                } catch (SQLException e) {
                    // 23505: another host created it meanwhile, which is just as good.
                    if (!"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                }
                preparedBuckets.add(server);
            }
            try (PreparedStatement take = connection.prepareStatement("UPDATE jd_send_rate SET tokens = " + refilled
                    + " - ?, updated_at = CURRENT_TIMESTAMP WHERE server = ? AND " + refilled + " >= ?")) {
                take.setInt(1, capacity);
                take.setInt(2, rate);
                take.setInt(3, wanted);
                take.setString(4, server);
                take.setInt(5, capacity);
                take.setInt(6, rate);
                take.setInt(7, wanted);
                return take.executeUpdate() == 1 ? wanted : 0;
            }
        }
    }

    /** When a lease taken or renewed now ends, by the database's clock. */
    private static String leaseEnd(Connection connection) throws SQLException {
        return SqlDialect.of(connection).plusSeconds(SLOT_LEASE.toSeconds(), "CURRENT_TIMESTAMP");
    }

    /** Gives back every slot this process holds (its connections are closed by then). */
    @Override
    public void close() {
        renewer.shutdownNow();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement release = connection.prepareStatement(
                     "UPDATE jd_smtp_slot SET holder = NULL, expires_at = NULL WHERE holder LIKE ?")) {
            release.setString(1, token + ":%");
            release.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Slots not given back at close; they expire: " + e.getMessage());
        }
    }

    /** Tokens this process took and may still use. */
    private static final class Stock {
        private int left;
        private long expires;
    }
}
