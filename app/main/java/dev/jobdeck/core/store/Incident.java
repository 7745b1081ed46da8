package dev.jobdeck.core.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Something that happened to a host on purpose or by accident, and the jobs it was running at that moment.
 * {@code detectedAt} is when JobDeck knew the host was gone and handed its jobs back ({@code requeued} of them);
 * it stays empty when JobRunr's own orphan detection has to find them.
 */
public record Incident(UUID id, UUID hostId, String hostName, Action action, Instant happenedAt, Instant detectedAt,
                       Integer requeued, String replacement, String note, List<InFlightJob> inFlight) {

    public enum Action {
        /** {@code kill -9} on purpose (Crash, Crash all, chaos). */
        CRASH,
        /** Stop taking work, drain up to a deadline, stop, start a replacement. */
        RECYCLE,
        /** Stop at once (in-flight jobs interrupted and handed back) and start a replacement. */
        RESTART,
        /** The host exited or vanished without being asked to. */
        DIED,
        /** The console itself was gone without closing (found at its next start). */
        CONSOLE_CRASH
    }

    public record InFlightJob(UUID jobId, UUID emailId) {
    }
}
