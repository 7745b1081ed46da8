package dev.jobdeck.core.settings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value read from the store and read again at most every {@code maxAge}, so a setting another process saved
 * reaches this one within that time without a restart. If a later read fails (a worker whose console is
 * restarting), the last value read stays in force and the failure goes to {@code onFailure}; the next read is
 * tried after another {@code maxAge}.
 */
public final class Refreshed<T> implements Supplier<T> {

    /** Reads the current value from the store. */
    @FunctionalInterface
    public interface Read<T> {
        T read() throws Exception;
    }

    private final Read<T> read;
    private final Duration maxAge;
    private final Clock clock;
    private final Consumer<Exception> onFailure;
    private T value;
    private Instant readAt;

    private Refreshed(T value, Instant readAt, Read<T> read, Duration maxAge, Clock clock,
                      Consumer<Exception> onFailure) {
        this.value = value;
        this.readAt = readAt;
        this.read = read;
        this.maxAge = maxAge;
        this.clock = clock;
        this.onFailure = onFailure;
    }

    /** Starts from {@code initial}, read already: it counts as read now. */
    public static <T> Refreshed<T> readAlready(T initial, Read<T> read, Duration maxAge, Clock clock,
                                               Consumer<Exception> onFailure) {
        return new Refreshed<>(initial, clock.instant(), read, maxAge, clock, onFailure);
    }

    /**
     * Reads on the first {@link #get}, so whatever was saved before that is seen; {@code ifUnreadable} stands in
     * until a read succeeds.
     */
    public static <T> Refreshed<T> onFirstUse(T ifUnreadable, Read<T> read, Duration maxAge, Clock clock,
                                              Consumer<Exception> onFailure) {
        return new Refreshed<>(ifUnreadable, null, read, maxAge, clock, onFailure);
    }

    /** The value, read again first when the last read is {@code maxAge} old (or never happened). */
    @Override
    public synchronized T get() {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(maxAge))) {
            readAt = now;
            try {
                value = read.read();
            } catch (Exception e) {
                onFailure.accept(e);
            }
        }
        return value;
    }

    /** The value as last read or set (or the stand-in, before any read), without reading the store. */
    public synchronized T last() {
        return value;
    }

    /** A value this process just saved: in force at once, and counted as read now. */
    public synchronized void set(T saved) {
        value = saved;
        readAt = clock.instant();
    }
}
