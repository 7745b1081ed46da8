package dev.jobdeck.core.hosts;

import dev.jobdeck.core.store.HostRecord;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the Hosts screen: what the registry, JobRunr's server table and the operating system say about a
 * host right now. {@code cpuPercent} and {@code memoryBytes} are null when unknown; for a host on another machine they
 * are what its JobRunr server reports with its heartbeat. {@code local} says this console started it (or it is the
 * console's own): only those can be crashed; any other live host is drained or stopped through the store.
 */
public record HostStatus(UUID id, String name, HostRecord.Kind kind, Long pid, State state, Instant startedAt,
                         Instant lastHeartbeat, int workers, int processing, Double cpuPercent, Long memoryBytes,
                         Instant stoppedAt, String stopReason, boolean local, String machine, String address) {

    /** A host of this machine whose place the registry does not say. */
    public HostStatus(UUID id, String name, HostRecord.Kind kind, Long pid, State state, Instant startedAt,
                      Instant lastHeartbeat, int workers, int processing, Double cpuPercent, Long memoryBytes,
                      Instant stoppedAt, String stopReason, boolean local) {
        this(id, name, kind, pid, state, startedAt, lastHeartbeat, workers, processing, cpuPercent, memoryBytes, stoppedAt,
                stopReason, local, null, null);
    }

    public enum State {
        /** Launched, not yet announced to JobRunr. */
        STARTING,
        RUNNING,
        /** Recycling: takes no new work, finishing what it holds. */
        DRAINING,
        /** Ended cleanly. */
        STOPPED,
        /** Crashed, killed or vanished. */
        DEAD
    }

    public boolean isLive() {
        return state == State.STARTING || state == State.RUNNING || state == State.DRAINING;
    }
}
