package dev.jobdeck.core.store;

import java.time.Instant;

/**
 * Whether the store can take writes, and if not why, in one sentence an operator can act on. Published by
 * {@link StoreHealthMonitor} on every change; the console shows it as a banner, {@code serve} prints it and
 * {@code status} reports it.
 */
public record StoreHealth(Condition condition, String message, Instant since) {

    public enum Condition {
        WELL,
        /** Free space on the data directory's disk fell below the reserve, or a write found the disk full. */
        DISK_FULL,
        /** The data directory was deleted or replaced while the store was open. */
        DIRECTORY_GONE,
        /** Files can no longer be created in the data directory (permissions, a read-only mount). */
        READ_ONLY,
        /** The database did not answer a trivial query within the timeout. */
        NOT_ANSWERING,
        /** H2 closed the database after a write to its file failed. */
        WRITE_FAILED
    }

    public static StoreHealth well(Instant since) {
        return new StoreHealth(Condition.WELL, "The store is well.", since);
    }

    public boolean isWell() {
        return condition == Condition.WELL;
    }

    /** Same condition and sentence: a check that finds the same problem again is no change. */
    boolean sameAs(StoreHealth other) {
        return other != null && condition == other.condition && message.equals(other.message);
    }
}
