package dev.jobdeck.core.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One host process as JobDeck recorded it: the console's in-process host, a worker JVM, or an in-memory
 * baseline host. {@code id} is the JobRunr server id (for in-memory hosts, an id of their own).
 */
public record HostRecord(UUID id, String name, Kind kind, Long pid, int workers, Instant startedAt,
                         Instant stoppedAt, String stopReason, Integer exitCode, String machine, String address) {

    /** A host whose machine and address are not known (yet): {@link HostRegistry#register} fills in this machine's. */
    public HostRecord(UUID id, String name, Kind kind, Long pid, int workers, Instant startedAt, Instant stoppedAt,
                      String stopReason, Integer exitCode) {
        this(id, name, kind, pid, workers, startedAt, stoppedAt, stopReason, exitCode, null, null);
    }

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

    /**
     * The process, if it still runs on this machine (pids are only meaningful locally): the pid is alive and its
     * process started before the host was recorded. A pid the operating system gave to another process since (after a
     * reboot, or long after the host died) belongs to a process that started later: it is not this host, and the
     * console must never adopt, stop or {@code kill -9} it.
     */
    public Optional<ProcessHandle> process() {
        if (pid == null) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> process.info().startInstant()
                .map(start -> !start.isAfter(startedAt.plus(START_SLACK))).orElse(true));
    }

    /** Clock steps and the resolution of the process table's start times. */
    private static final java.time.Duration START_SLACK = java.time.Duration.ofSeconds(2);
}
