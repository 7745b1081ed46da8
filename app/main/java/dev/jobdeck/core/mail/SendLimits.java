package dev.jobdeck.core.mail;

import java.util.Optional;

/**
 * Limits that every host delivering to the same SMTP server shares: how many connections may be open to it at
 * once, and how many messages per second it may be sent. The store keeps them (see {@code SendLimitTables}), so
 * the console's host and worker JVMs count against the same numbers.
 */
public interface SendLimits {

    /** No limit: connections and messages are never held back. */
    SendLimits NONE = new SendLimits() {
        @Override
        public Optional<Slot> tryAcquireConnection(String server) {
            return Optional.of(() -> { });
        }

        @Override
        public void acquireMessage(String server) {
            // Unlimited.
        }
    };

    /** The right to keep one connection to a server open; given back when the connection closes. */
    @FunctionalInterface
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The right to open one more connection to {@code server} ({@code host:port}), or empty when the limit is
     * reached now. Does not wait: a host that waits for a slot must also take a connection another of its workers
     * gives back meanwhile (see {@link SmtpConnectionPool}).
     */
    Optional<Slot> tryAcquireConnection(String server);

    /** Waits until one more message may be sent to {@code server} ({@code host:port}). */
    void acquireMessage(String server) throws InterruptedException;
}
