package dev.jobdeck.core;

import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.SurvivalReports;
import dev.jobdeck.core.jobs.TestSend;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.settings.LiveSettings;
import dev.jobdeck.core.settings.OutgoingServer;
import dev.jobdeck.core.store.StoreHealth;
import dev.jobdeck.core.store.StoreProbe;
import dev.jobdeck.core.templates.TemplateLibrary;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the console's screens and status bar use of its services (decision 43), grouped by screen; the UI builds its
 * models from these and from nothing else.
 */
public final class ScreenServices {

    private final ServiceParts parts;
    /** For the store's health, which the root watches. */
    private final ConsoleServices services;

    ScreenServices(ServiceParts parts, ConsoleServices services) {
        this.parts = parts;
        this.services = services;
    }

    // Compose

    public EmailQueue queue() {
        return parts.queue();
    }

    public TemplateLibrary templates() {
        return parts.templates();
    }

    public TestSend testSend() {
        return parts.testSend();
    }

    // Jobs

    public JobQueries queries() {
        return parts.queries();
    }

    public JobCommands commands() {
        return parts.commands();
    }

    public BulkActions bulkActions() {
        return parts.bulkActions();
    }

    // Hosts

    public HostSupervisor supervisor() {
        return parts.supervisor().orElseThrow(() -> new IllegalStateException("Only a console supervises hosts"));
    }

    public SurvivalReports reports() {
        return parts.reports();
    }

    // Mailbox

    public Optional<LocalSmtpSink> sink() {
        return parts.sink();
    }

    /** What starting the built-in sink took that the operator should know, e.g. a damaged mailbox moved aside. */
    public Optional<String> sinkNotice() {
        return parts.sinkNotice();
    }

    // Settings

    /** The host policy, delivery settings, retention and retry policy, with their saves. */
    public LiveSettings settings() {
        return parts.liveSettings();
    }

    public OutgoingServer outgoing() {
        return parts.outgoing();
    }

    public Mailer mailer() {
        return parts.mailer();
    }

    /** The store's file on disk, in bytes. */
    public long storeSizeOnDisk() throws SQLException {
        return StoreProbe.sizeOnDisk(parts.database());
    }

    /** Where the store lives, in words: no I/O. */
    public String storeDescription() {
        return parts.database().describe();
    }

    /** "Test connection": a round trip to the store and what the server says (I/O). */
    public StoreProbe.Result testStoreConnection() throws SQLException {
        return StoreProbe.test(parts.database());
    }

    // Status bar

    /** The data directory's path, as the status bar shows it. */
    public Path dataDirectory() {
        return parts.directory().path();
    }

    public String hostName() {
        return parts.engine().hostName();
    }

    public boolean hostRunning() {
        return parts.engine().isServerRunning();
    }

    public int hostWorkers() {
        return parts.engine().settings().workers();
    }

    /** The store's health as this process last saw it. */
    public StoreHealth storeHealth() {
        return services.storeHealth();
    }

    /** Hears each change of the store's health, on the monitor's thread (never the JavaFX thread). */
    public void onStoreHealthChange(Consumer<StoreHealth> listener) {
        services.onStoreHealthChange(listener);
    }
}
