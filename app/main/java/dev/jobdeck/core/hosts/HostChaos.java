package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.JobEngine;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Chaos on the Hosts screen: crashes a random live host (a watched worker or the console's own) on a schedule. */
final class HostChaos {

    /** Crashes one host, as the supervisor's Crash does. */
    @FunctionalInterface
    interface Crash {
        void crash(UUID hostId) throws SQLException;
    }

    private static final System.Logger LOG = System.getLogger(HostChaos.class.getName());

    private final ScheduledExecutorService timers;
    private final Map<UUID, ManagedHost> managed;
    private final JobEngine engine;
    private final Crash crash;
    private final AtomicInteger chaosCrashes = new AtomicInteger();
    private ScheduledFuture<?> chaos;
    private Duration chaosEvery;

    HostChaos(ScheduledExecutorService timers, Map<UUID, ManagedHost> managed, JobEngine engine, Crash crash) {
        this.timers = timers;
        this.managed = managed;
        this.engine = engine;
        this.crash = crash;
    }

    /** Crashes a random live host every {@code every} until {@link #stop()}. */
    synchronized void start(Duration every) {
        if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("Chaos needs an interval of at least 1 s.");
        }
        stop();
        chaosEvery = every;
        chaos = timers.scheduleAtFixedRate(this::crashRandomHost, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (chaos != null) {
            chaos.cancel(false);
            chaos = null;
        }
    }

    synchronized Optional<Duration> interval() {
        return chaos == null ? Optional.empty() : Optional.of(chaosEvery);
    }

    int crashes() {
        return chaosCrashes.get();
    }

    private void crashRandomHost() {
        List<UUID> candidates = new ArrayList<>();
        managed.values().stream().filter(h -> h.action == null && h.process.isAlive()).forEach(h -> candidates.add(h.id));
        engine.serverId().ifPresent(candidates::add);
        if (candidates.isEmpty()) {
            return;
        }
        UUID victim = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        try {
            crash.crash(victim);
            chaosCrashes.incrementAndGet();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Chaos could not crash host " + victim + ": " + e.getMessage());
        }
    }
}
