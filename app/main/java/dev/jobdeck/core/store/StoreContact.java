package dev.jobdeck.core.store;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether what bulk jobs journal reaches the store, as the ledger journal sees it (decision 23): folds that commit or
 * fail, entries waiting for one, and connections this process found gone. A bulk job sends its next message only while
 * the store answers, and asks again whose job it is each time contact comes back ({@link #epoch()}).
 */
final class StoreContact {

    /** An entry waiting this long for a fold means the store is not answering: bulk jobs stop sending meanwhile. */
    private static final Duration STORE_SILENCE = Duration.ofSeconds(2);

    private final LongSupplier connectionFailures;
    /** Whether the last fold failed to reach the store; cleared by the next one that commits. */
    private volatile boolean lost;
    /** Counts the times the store answered again after a fold failed. */
    private volatile long epoch;
    /** When the oldest entry not yet in the ledger was appended ({@link System#nanoTime()}), 0 when there is none. */
    private volatile long pendingSince;
    /** When a fold (or a check of the store) last committed; a connection failure after it means contact is lost. */
    private volatile long lastContactNanos = System.nanoTime();

    /**
     * @param connectionFailures when this process last found a connection to the store gone ({@link System#nanoTime()}):
     *                           a failure newer than the last fold that committed means the store may be away
     */
    StoreContact(LongSupplier connectionFailures) {
        this.connectionFailures = connectionFailures;
    }

    /**
     * The last fold committed, and nothing has waited for a fold for longer than {@link #STORE_SILENCE} (a fold that
     * hangs on a store that stopped answering).
     */
    boolean answering() {
        long since = pendingSince;
        return !inDoubt() && (since == 0 || System.nanoTime() - since < STORE_SILENCE.toNanos());
    }

    /** The last fold failed, or some thread of this process found a connection gone since the last one committed. */
    boolean inDoubt() {
        long failure = connectionFailures.getAsLong();
        return lost || (failure != 0 && failure - lastContactNanos > 0);
    }

    /** A fold (or a check of the store) did not reach it. */
    void lost() {
        lost = true;
    }

    /** The store took a fold (or answered a check): a bulk job that waited asks again whose job it is. */
    void regained() {
        if (inDoubt()) {
            epoch++;
        }
        lost = false;
        lastContactNanos = System.nanoTime();
    }

    /** An entry was appended; the clock of waiting for a fold starts with the first one not folded. */
    void appended() {
        if (pendingSince == 0) {
            pendingSince = System.nanoTime();
        }
    }

    /** A fold committed: whatever is still appended waits from now on. */
    void folded(boolean morePending) {
        pendingSince = morePending ? System.nanoTime() : 0;
    }

    /** Changes each time the store answers again after a fold failed. */
    long epoch() {
        return epoch;
    }
}
