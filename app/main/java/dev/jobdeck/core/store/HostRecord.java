package dev.jobdeck.core.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One host process as JobDeck recorded it: the console's in-process host, a worker JVM, or an in-memory
 * baseline host. {@code id} is the JobRunr server id (for in-memory hosts, an id of their own).
 */
public record HostRecord(UUID id, String name, Kind kind, Long pid, int workers, Instant startedAt,
                         Instant stoppedAt, String stopReason, Integer exitCode) {

    public enum Kind {
        /** The console's own in-process JobRunr server. */
        CONSOLE,
        /** A worker JVM running a JobRunr server on the console's store. */
        WORKER,
        /** A worker JVM that hands e-mails to a plain executor, as {@code QueueBackgroundWorkItem} does. */
        IN_MEMORY
    }

    public static HostRecord started(UUID id, String name, Kind kind, long pid, int workers, Instant at) {
        return new HostRecord(id, name, kind, pid, workers, at, null, null, null);
    }

    public boolean stopped() {
        return stoppedAt != null;
    }

    /** The process, if it still runs on this machine (pids are only meaningful locally). */
    public Optional<ProcessHandle> process() {
        return pid == null ? Optional.empty() : ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }
}
