package dev.jobdeck.core.settings;

import dev.jobdeck.core.store.Settings;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The settings every process of a store shares, as this process holds them: the host policy, the delivery settings,
 * the retention period and the retry policy, each loaded and saved as its {@link SettingsGroup}. A save here applies
 * in this process at once (and tells whoever listens, e.g. the job engine); another process's save arrives within a
 * few seconds for the settings read again (delivery, retry), or at the next start for the others.
 */
public final class LiveSettings {

    private static final System.Logger LOG = System.getLogger(LiveSettings.class.getName());
    private final Settings table;
    private final Refreshed<DeliverySettings> delivery;
    private final Refreshed<RetryPolicy> retry;
    private final List<Consumer<HostPolicy>> policyListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<RetentionPeriod>> retentionListeners = new CopyOnWriteArrayList<>();
    private HostPolicy policy;
    private volatile RetentionPeriod retention;

    private LiveSettings(Settings table, Clock clock, Duration refresh) throws SQLException {
        this.table = table;
        policy = HostPolicy.load(table);
        delivery = Refreshed.readAlready(DeliverySettings.load(table), () -> DeliverySettings.load(table),
                refresh, Clock.systemUTC(), e -> LOG.log(System.Logger.Level.WARNING,
                        "Cannot re-read the delivery settings; keeping the last ones: " + e.getMessage()));
        // If the store cannot be read (a worker whose console is restarting) the last policy read stays in force.
        retry = Refreshed.onFirstUse(RetryPolicy.defaults(), () -> RetryPolicy.load(table), refresh, clock, e -> { });
        retention = RetentionPeriod.load(table);
    }

    /**
     * Reads the settings this process holds from {@code table}; the delivery settings and the retry policy are read
     * again once {@code refresh} has passed (another process may have saved new ones), so a change reaches every host.
     */
    public static LiveSettings load(Settings table, Clock clock, Duration refresh) throws SQLException {
        return new LiveSettings(table, clock, refresh);
    }

    /** The store's settings table, for what is read and written key by key ({@code config}, the SMTP server). */
    public Settings table() {
        return table;
    }

    public synchronized HostPolicy policy() {
        return policy;
    }

    /** Saves a new host policy; this process's listeners hear it (poll and timeout apply to hosts started from now). */
    public void updatePolicy(HostPolicy updated) throws SQLException {
        updated.save(table);
        synchronized (this) {
            policy = updated;
        }
        policyListeners.forEach(listener -> listener.accept(updated));
    }

    public void onPolicySaved(Consumer<HostPolicy> listener) {
        policyListeners.add(listener);
    }

    /** The delivery settings, re-read from the store every few seconds (another process may have changed them). */
    public DeliverySettings delivery() {
        return delivery.get();
    }

    /** The delivery settings as last read, without touching the store (for the JavaFX thread). */
    public DeliverySettings lastDelivery() {
        return delivery.last();
    }

    /** Saves new delivery settings; this process applies them at once, the others within a few seconds. */
    public void updateDelivery(DeliverySettings updated) throws SQLException {
        updated.save(table);
        delivery.set(updated);
    }

    /** How long succeeded jobs and their rows are kept. */
    public RetentionPeriod retention() {
        return retention;
    }

    /** Saves a new retention period: this process's listeners hear it (the next pass, JobRunr's hosts' next start). */
    public void updateRetention(RetentionPeriod updated) throws SQLException {
        updated.save(table);
        retention = updated;
        retentionListeners.forEach(listener -> listener.accept(updated));
    }

    public void onRetentionSaved(Consumer<RetentionPeriod> listener) {
        retentionListeners.add(listener);
    }

    /** The retry policy as the store holds it, read again at most every few seconds: what a failing delivery applies. */
    public Supplier<RetryPolicy> retryPolicy() {
        return retry;
    }

    /** The retry policy as saved now (I/O): what the Settings screen shows. */
    public RetryPolicy loadRetryPolicy() throws SQLException {
        return RetryPolicy.load(table);
    }

    /** Saves a new retry policy: every host applies it to its next failed delivery, within a few seconds. */
    public void saveRetryPolicy(RetryPolicy updated) throws SQLException {
        updated.save(table);
    }
}
