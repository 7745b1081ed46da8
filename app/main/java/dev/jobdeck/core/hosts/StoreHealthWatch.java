package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.store.StoreHealth;
import dev.jobdeck.core.store.StoreHealthMonitor;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What this process's host does when the store's health changes (decision 21): while the store is sick it takes no
 * new work and its bulk jobs hand their rest back; once well, it resumes, restarted if JobRunr stopped it or the
 * database was reopened meanwhile. The host is paused and resumed off the monitor's thread.
 */
public final class StoreHealthWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StoreHealthWatch.class.getName());

    private final StoreHealthMonitor health;
    private final JobEngine engine;
    private final ExecutorService actions;
    /** Whether the last sickness may have left the database reopened, and JobRunr's server with it half-working. */
    private volatile boolean restartHostWhenWell;

    private StoreHealthWatch(StoreHealthMonitor health, JobEngine engine) {
        this.health = health;
        this.engine = engine;
        this.actions = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-store-health-hosts");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts {@code health} and has this process's host in {@code engine} follow it. */
    public static StoreHealthWatch start(StoreHealthMonitor health, JobEngine engine) {
        StoreHealthWatch watch = new StoreHealthWatch(health, engine);
        health.addListener(changed -> watch.actions.execute(() -> watch.apply(changed)));
        health.start();
        return watch;
    }

    /** The store was put back under the host (a deleted data directory written back): restart it once well. */
    public void restartHostWhenWell() {
        restartHostWhenWell = true;
    }

    /** The store's health as this process last saw it. */
    public StoreHealth current() {
        return health.current();
    }

    /** Hears each change of the store's health, on the monitor's thread (never the JavaFX thread). */
    public void onChange(Consumer<StoreHealth> listener) {
        health.addListener(listener);
    }

    /** Something this process wrote failed: the monitor decides whether the store is sick. */
    public void reportWriteFailure(String what, Throwable e) {
        health.reportWriteFailure(what, e);
    }

    private void apply(StoreHealth changed) {
        if (!changed.isWell()) {
            LOG.log(System.Logger.Level.WARNING, "The store is sick; host " + engine.hostName() + " takes no new work: "
                    + changed.message());
            if (changed.condition() == StoreHealth.Condition.WRITE_FAILED
                    || changed.condition() == StoreHealth.Condition.NOT_ANSWERING) {
                restartHostWhenWell = true;
            }
            engine.pauseTaking(true);
            return;
        }
        engine.pauseTaking(false);
        Optional<UUID> host = engine.serverId();
        boolean reopened = health.takeReopened();
        if (host.isPresent() && (restartHostWhenWell || reopened || engine.stoppedByJobRunr())) {
            int handedBack = engine.stopServer("restarted after the store recovered");
            engine.startServer(host.get());
            LOG.log(System.Logger.Level.INFO, "The store is well again; host {0} restarted, {1} job(s) it held handed"
                    + " back", engine.hostName(), handedBack);
        } else {
            LOG.log(System.Logger.Level.INFO, "The store is well again; host {0} takes work again", engine.hostName());
        }
        restartHostWhenWell = false;
    }

    @Override
    public void close() throws InterruptedException {
        health.close();
        actions.shutdownNow();
        actions.awaitTermination(10, TimeUnit.SECONDS);
    }
}
