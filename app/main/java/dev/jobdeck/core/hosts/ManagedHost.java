package dev.jobdeck.core.hosts;

import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.Incident;

import java.time.Instant;
import java.util.UUID;

/** A worker process this console started (or adopted after its own restart) and watches. */
final class ManagedHost {
    final UUID id;
    final String name;
    final HostRecord.Kind kind;
    final int workers;
    final ProcessHandle process;
    volatile Incident.Action action;
    volatile Instant actionAt;
    volatile UUID incidentId;

    ManagedHost(UUID id, String name, HostRecord.Kind kind, int workers, ProcessHandle process) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.workers = workers;
        this.process = process;
    }
}
