package dev.jobdeck.core.mail;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the {@link LocalSmtpSink} does wrong on purpose, so operators and tests can watch jobs meet a
 * misbehaving server: refuse recipients matching a pattern, fail a share of messages with a 4xx reply,
 * answer slowly, or stop answering altogether. Read on GreenMail's connection threads and changed from
 * the UI or a test, so every field is safe to read without a lock.
 */
public final class SinkFaults {

    /** Longest latency an operator can set: long enough to outlast any read timeout, short enough to undo. */
    public static final Duration MAX_LATENCY = Duration.ofMinutes(10);
    /** A hung connection gives up after this long even if nobody ends the hang, so threads are not held forever. */
    static final Duration MAX_HANG = Duration.ofMinutes(30);
    static final String TRANSIENT_REPLY = "451 4.3.0 Temporary failure, try again later (injected by JobDeck)";
    /** What a server says when it closes a connection it was holding because it is going down. */
    static final String SHUTTING_DOWN = "421 4.3.2 Service shutting down, closing transmission channel";

    /** The faults in force, as the Mailbox screen shows them. */
    public record Snapshot(int failPercent, Duration latency, boolean hanging, List<String> rejections) {

        /** Whether the sink behaves like a healthy server. */
        public boolean none() {
            return failPercent == 0 && latency.isZero() && !hanging && rejections.isEmpty();
        }
    }

    private final RecipientFaults recipients = new RecipientFaults();
    private final AtomicLong messages = new AtomicLong();
    private final Object hangMonitor = new Object();
    private volatile int failPercent;
    private volatile Duration latency = Duration.ZERO;
    private boolean hanging;
    // Bumped when the sink stops, so connections hung in the old run are let go even though the hang stays on.
    private long generation;
    private int hungConnections;

    public Snapshot snapshot() {
        synchronized (hangMonitor) {
            return new Snapshot(failPercent, latency, hanging, recipients.describe());
        }
    }

    /**
     * Fails {@code percent} % of messages with a 451 reply to the end of DATA. Failures are spread
     * evenly rather than drawn at random, first message first: at 50 % every other message fails, so
     * a single job's first attempt fails and its retry succeeds, reproducibly.
     */
    public void failPercent(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("The failure percentage must be a whole number from 0 to 100, was " + percent + ".");
        }
        failPercent = percent;
        messages.set(0);
    }

    /** Waits {@code delay} before answering the end of each message's DATA. */
    public void latency(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("The latency must be zero or more milliseconds, was " + delay + ".");
        }
        if (delay.compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException("The latency can be at most " + MAX_LATENCY.toMinutes() + " minutes.");
        }
        latency = delay;
    }

    /** While on, the sink accepts connections and EHLO but never answers MAIL FROM, like a hung server. */
    public void hang(boolean on) {
        synchronized (hangMonitor) {
            hanging = on;
            hangMonitor.notifyAll();
        }
    }

    void rejectRecipient(String addressOrPattern, int code, String text) {
        recipients.add(addressOrPattern, code, text);
    }

    void clearRejections() {
        recipients.clear();
    }

    /** Removes every fault: the sink answers like a healthy server again. */
    public void clearAll() {
        failPercent(0);
        latency(Duration.ZERO);
        hang(false);
        clearRejections();
    }

    Optional<String> recipientReply(String address) {
        return recipients.replyFor(address);
    }

    /** Called once per message at the end of DATA: the injected 4xx reply, if this message is one to fail. */
    Optional<String> messageReply() {
        int percent = failPercent;
        if (percent == 0) {
            return Optional.empty();
        }
        long n = messages.incrementAndGet();
        // Fail message n when the running quota ceil(n * p / 100) goes up: evenly spread, first one first.
        boolean fail = ceilDiv(n * percent, 100) > ceilDiv((n - 1) * percent, 100);
        return fail ? Optional.of(TRANSIENT_REPLY) : Optional.empty();
    }

    /**
     * Waits the latency before a reply; cut short when the sink stops, so stopping never waits on it.
     *
     * @return false when the sink stopped meanwhile: the connection must not go on as if nothing happened
     */
    boolean delay() {
        Duration wait = latency;
        if (wait.isZero()) {
            return true;
        }
        synchronized (hangMonitor) {
            long started = generation;
            long deadline = System.nanoTime() + wait.toNanos();
            while (generation == started) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    hangMonitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    /**
     * Blocks a connection thread while the hang is on, until it is turned off or the sink stops.
     *
     * @return false when the sink stopped (or the hang outlived {@link #MAX_HANG}) instead of the hang ending
     */
    boolean awaitNoHang() {
        synchronized (hangMonitor) {
            long started = generation;
            long deadline = System.nanoTime() + MAX_HANG.toNanos();
            hungConnections++;
            try {
                while (hanging && generation == started) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        hangMonitor.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return generation == started;
            } finally {
                hungConnections--;
            }
        }
    }

    /** How many connections are being held by the hang right now (tests wait for one to be). */
    int hungConnections() {
        synchronized (hangMonitor) {
            return hungConnections;
        }
    }

    /** Lets go of every hung or delayed connection: the sink is stopping and closes them. */
    void releaseHungConnections() {
        synchronized (hangMonitor) {
            generation++;
            hangMonitor.notifyAll();
        }
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
