package dev.jobdeck.core.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected SMTP transports of one host (process), kept open across e-mails instead of one connection per
 * e-mail. A worker {@link #lease leases} a connection for one job (one e-mail, or a bulk job's recipients),
 * sends over it, and gives it back; the next job reuses it.
 *
 * <ul>
 *   <li>Connections are only reused for equal {@link SmtpSettings} (host, port, TLS, credentials, timeouts,
 *       pinned certificate): once a job asks for other settings, idle connections made with the old ones are
 *       closed and leased ones are closed when they come back, so a settings change never reaches a stale
 *       connection.</li>
 *   <li>A connection taken from the pool is probed with {@code RSET} before its first message in a lease, and
 *       reset with {@code RSET} after any failed transaction; a connection that does not answer is closed and a
 *       fresh one is opened (nothing was sent on it, so no message is repeated).</li>
 *   <li>Connections idle for longer than {@code idleTimeout} are closed with {@code QUIT}, as are all of them
 *       when the pool closes (the host stops). Connect, read and write timeouts are the session's, as for a
 *       single send.</li>
 *   <li>Every open connection holds a {@link SendLimits.Slot}, and every message takes a permit, so limits
 *       shared with other hosts are honoured.</li>
 * </ul>
 */
public final class SmtpConnectionPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnectionPool.class);

    private final SendLimits limits;
    private final Duration idleTimeout;
    private final ScheduledExecutorService sweeper;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final AtomicLong connectionsOpened = new AtomicLong();
    private SmtpSettings latest;
    private boolean closed;

    public SmtpConnectionPool(SendLimits limits, Duration idleTimeout) {
        this.limits = limits;
        this.idleTimeout = idleTimeout;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-smtp-idle");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, idleTimeout.toMillis() / 2);
        sweeper.scheduleWithFixedDelay(this::closeIdleConnections, period, period, TimeUnit.MILLISECONDS);
    }

    /** A lease on a connection to {@code settings}' server: reused from the pool when one is idle, else opened on first use. */
    public Lease lease(SmtpSettings settings) {
        List<Connection> stale = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the SMTP connection pool is closed");
            }
            if (!settings.equals(latest)) {
                latest = settings;
                stale.addAll(idle);
                idle.clear();
            }
        }
        stale.forEach(Connection::quit);
        return new Lease(settings);
    }

    /**
     * An idle connection (probed with RSET), or a new one once a connection slot is free. While the slots are all
     * taken it waits, and takes the first connection another worker of this host gives back: otherwise a worker
     * waiting for a slot would wait while this host's own idle connection holds it.
     */
    private Connection obtain(SmtpSettings settings) throws DeliveryException, InterruptedException {
        long backoff = 10;
        while (true) {
            Connection reused;
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the SMTP connection pool is closed");
                }
                reused = settings.equals(latest) ? idle.pollFirst() : null;
            }
            if (reused != null) {
                if (reused.reset()) {
                    return reused;
                }
                reused.quit();
                continue;
            }
            Optional<SendLimits.Slot> slot = limits.tryAcquireConnection(settings.address());
            if (slot.isPresent()) {
                return open(settings, slot.get());
            }
            synchronized (this) {
                if (idle.isEmpty()) {
                    wait(backoff + ThreadLocalRandom.current().nextLong(backoff));
                }
            }
            backoff = Math.min(200, backoff * 2);
        }
    }

    /** How many connections this pool has opened so far (for tests and benchmarks). */
    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    /** How many connections are idle in the pool now. */
    public synchronized int idleConnections() {
        return idle.size();
    }

    private void giveBack(Connection connection) {
        boolean keep;
        synchronized (this) {
            // Not transport.isConnected(): Angus Mail answers it with a NOOP round trip. A connection that failed was
            // reset or closed already, so one that comes back is believed alive (the next lease probes it anyway).
            keep = !closed && connection.settings.equals(latest);
            if (keep) {
                connection.idleSince = System.nanoTime();
                idle.addFirst(connection);
                notifyAll();
            }
        }
        if (!keep) {
            connection.quit();
        }
    }

    /** Closes connections idle for longer than the idle timeout (servers drop them anyway, some after 60 s). */
    void closeIdleConnections() {
        List<Connection> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<Connection> it = idle.iterator(); it.hasNext(); ) {
                Connection connection = it.next();
                if (now - connection.idleSince >= idleTimeout.toNanos()) {
                    it.remove();
                    expired.add(connection);
                }
            }
        }
        expired.forEach(Connection::quit);
    }

    /** Says QUIT on every idle connection; leased ones are closed as they come back. */
    @Override
    public void close() {
        List<Connection> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        all.forEach(Connection::quit);
        sweeper.shutdownNow();
    }

    /**
     * One worker's use of a connection, for one job. Not thread-safe: one worker thread uses it, then closes it,
     * which gives the connection back to the pool.
     */
    public final class Lease implements AutoCloseable {

        private final SmtpSettings settings;
        private Connection connection;

        private Lease(SmtpSettings settings) {
            this.settings = settings;
        }

        /**
         * Makes sure the lease holds a live connection: an idle one that answers RSET, otherwise a new one (after
         * waiting for a connection slot). Failures here mean the server cannot be reached at all.
         */
        public void connect() throws DeliveryException, InterruptedException {
            if (connection == null) {
                connection = obtain(settings);
            }
        }

        /**
         * Sends one message with exactly {@code messageId}. On a failed transaction the connection is reset with
         * RSET, or closed when it does not answer; the next send or {@link #connect} opens a new one.
         */
        public DeliveryResult send(EmailMessage message, String messageId) throws DeliveryException, InterruptedException {
            Mailer.requireMessageId(messageId);
            connect();
            limits.acquireMessage(settings.address());
            MimeMessage mime = Mailer.build(connection.session, message, messageId);
            try {
                connection.transport.sendMessage(mime, mime.getAllRecipients());
                return new DeliveryResult(Mailer.lastLine(connection.transport.getLastServerResponse()), messageId);
            } catch (MessagingException e) {
                DeliveryException failure = FailureClassifier.classify(e, settings);
                if (!connection.reset()) {
                    connection.quit();
                    connection = null;
                }
                throw failure;
            }
        }

        /** Whether the last failure left the lease without a connection (it broke, or could not be opened). */
        public boolean connected() {
            return connection != null;
        }

        @Override
        public void close() {
            if (connection != null) {
                Connection returned = connection;
                connection = null;
                giveBack(returned);
            }
        }
    }

    private Connection open(SmtpSettings settings, SendLimits.Slot slot) throws DeliveryException {
        Session session = Session.getInstance(Mailer.properties(settings, Mailer.tlsFor(settings)));
        SMTPTransport transport = Mailer.transport(session);
        try {
            Mailer.connect(transport, settings);
            connectionsOpened.incrementAndGet();
            return new Connection(settings, session, transport, slot);
        } catch (MessagingException e) {
            Mailer.closeQuietly(transport, settings);
            slot.close();
            throw FailureClassifier.classify(e, settings);
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    /** One open SMTP connection and the slot it holds. */
    private static final class Connection {

        private final SmtpSettings settings;
        private final Session session;
        private final SMTPTransport transport;
        private final SendLimits.Slot slot;
        private long idleSince;

        Connection(SmtpSettings settings, Session session, SMTPTransport transport, SendLimits.Slot slot) {
            this.settings = settings;
            this.session = session;
            this.transport = transport;
            this.slot = slot;
        }

        /** RSET: ends any half-done transaction, and proves the server still answers. */
        boolean reset() {
            try {
                transport.issueCommand("RSET", 250);
                return true;
            } catch (MessagingException | IllegalStateException e) {
                LOG.debug("RSET on the connection to {} failed; it is closed", settings.address(), e);
                return false;
            }
        }

        /** QUIT (Angus Mail sends it on close) and gives the slot back. */
        void quit() {
            try {
                Mailer.closeQuietly(transport, settings);
            } finally {
                slot.close();
            }
        }
    }
}
