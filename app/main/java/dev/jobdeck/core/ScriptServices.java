package dev.jobdeck.core;

import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.SurvivalReports;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.StoreProbe;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the CLI's one-shot commands ({@code send}, {@code status}, {@code report}, {@code jobs}) use of a store they
 * opened as a script (decision 43): the queue, the read models, bulk actions and the survival report, no more.
 * Closing it closes the store.
 */
public final class ScriptServices implements AutoCloseable {

    private final ConsoleServices services;
    private final ServiceParts parts;

    private ScriptServices(ConsoleServices services) {
        this.services = services;
        this.parts = services.parts();
    }

    /** Opens the data directory as a script: see {@link ConsoleServices}. */
    public static ScriptServices open(DataDirectory directory) throws dev.jobdeck.core.store.StoreException {
        return new ScriptServices(ConsoleServices.open(directory, ConsoleServices.Options.storeOnly()));
    }

    public EmailQueue queue() {
        return parts.queue();
    }

    public JobQueries queries() {
        return parts.queries();
    }

    /** Requeue or delete every job that matches (decision 27). */
    public BulkActions bulkActions() {
        return parts.bulkActions();
    }

    public SurvivalReports reports() {
        return parts.reports();
    }

    /** The batch queued under the idempotency key {@code key}, if any. */
    public Optional<UUID> keyedBatch(String key) throws SQLException {
        return parts.outbox().keyedBatch(key).map(Outbox.KeyedBatch::batchId);
    }

    /** Hosts not marked stopped, live or not. */
    public List<HostRecord> unstoppedHosts() throws SQLException {
        return parts.hosts().unstopped();
    }

    /** The store's file on disk, in bytes. */
    public long storeSizeOnDisk() throws SQLException {
        return StoreProbe.sizeOnDisk(parts.database());
    }

    /** Whether this script opened the store file itself (no console was running). */
    public boolean ownsStore() {
        return services.ownsStore();
    }

    public DataDirectory directory() {
        return parts.directory();
    }

    @Override
    public void close() {
        services.close();
    }
}
