package dev.jobdeck.core.mail;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The built-in SMTP server, so a fresh install sends real SMTP with no setup. It listens on 127.0.0.1
 * only (nothing listens beyond loopback unless configured), records what it accepts in a
 * {@link SinkMailbox}, and can misbehave on purpose ({@link SinkFaults}) so operators and tests can
 * watch jobs retry, fail and time out as they would against a real server.
 *
 * <p>Stopping and starting again reuses the same port, so a "down" sink looks to jobs exactly like a
 * real server that went away: connection refused, then accepted again on the same address.
 */
public final class LocalSmtpSink implements AutoCloseable {

    /** How many messages {@link #messages()} returns at most: the mailbox view is a recent window. */
    public static final int LIST_LIMIT = 1000;
    private static final String LOOPBACK = "127.0.0.1";
    private static final long STARTUP_TIMEOUT_MILLIS = 15_000;

    private final int requestedPort;
    private final SinkMailbox mailbox;
    private final SinkFaults faults = new SinkFaults();
    // Volatile, so the UI can ask isRunning() and port() without waiting while start() or stop() runs.
    private volatile SinkGreenMail greenMail;
    private volatile int port;

    /** A sink on a free port chosen at the first {@link #start()}, keeping messages in memory. */
    public LocalSmtpSink() {
        this(0);
    }

    /** A sink on {@code port}, or on a free port when {@code port} is 0, keeping messages in memory. */
    public LocalSmtpSink(int port) {
        this(port, SinkMailbox.inMemory());
    }

    /** A sink on {@code port} (0: any free port) that records accepted messages in {@code mailbox}. */
    public LocalSmtpSink(int port, SinkMailbox mailbox) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, was " + port);
        }
        this.requestedPort = port;
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
    }

    /**
     * Starts listening; a no-op when already running. After a {@link #stop()} it listens on the same
     * port as before, and fails if another process took that port meanwhile.
     */
    public synchronized LocalSmtpSink start() {
        if (greenMail != null) {
            return this;
        }
        int chosen = port != 0 ? port : requestedPort != 0 ? requestedPort : freeLoopbackPort();
        ServerSetup setup = new ServerSetup(chosen, LOOPBACK, ServerSetup.PROTOCOL_SMTP);
        // GreenMail's 2 s default is too short on a busy 2-core machine; binding a loopback port is quick otherwise.
        setup.setServerStartupTimeout(STARTUP_TIMEOUT_MILLIS);
        SinkGreenMail gm = new SinkGreenMail(setup, this);
        try {
            gm.start();
        } catch (RuntimeException e) {
            gm.stop();
            throw new IllegalStateException("Cannot listen on " + LOOPBACK + ":" + chosen
                    + (isFree(chosen) ? "" : " (the port is in use by another program)") + ": " + e.getMessage(), e);
        }
        greenMail = gm;
        port = chosen;
        return this;
    }

    /** Stops listening: new connections are refused and hung ones are let go. Messages stay in the mailbox. */
    public synchronized void stop() {
        faults.releaseHungConnections();
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        SinkGreenMail current = greenMail;
        return current != null && current.isRunning();
    }

    /** The port the sink listens on, or listened on before a {@link #stop()}; fails before the first start. */
    public int port() {
        int current = port;
        if (current == 0) {
            throw new IllegalStateException("The local SMTP sink is not running");
        }
        return current;
    }

    public String host() {
        return LOOPBACK;
    }

    /** Settings that reach this sink: plain SMTP, no authentication, default timeouts. Valid while it is down too. */
    public SmtpSettings settings() {
        return SmtpSettings.of(LOOPBACK, port());
    }

    public SinkMailbox mailbox() {
        return mailbox;
    }

    /** The newest {@value #LIST_LIMIT} accepted messages, newest first; one per SMTP transaction. */
    public List<ReceivedMail> messages() {
        try {
            return mailbox.newestFirst(LIST_LIMIT);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the sink's mailbox: " + e.getMessage(), e);
        }
    }

    public int messageCount() {
        try {
            return mailbox.count();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the sink's mailbox: " + e.getMessage(), e);
        }
    }

    /** Deletes every received message. */
    public void clear() {
        try {
            mailbox.clear();
        } catch (Exception e) {
            throw new IllegalStateException("Could not clear the local SMTP sink: " + e.getMessage(), e);
        }
    }

    /** The sink's fault injection: failure percentage, latency, hang. */
    public SinkFaults faults() {
        return faults;
    }

    /**
     * Makes the sink answer RCPT TO for matching addresses with {@code code text} instead of
     * "250 OK", e.g. {@code rejectRecipient("bad@example.com", 550, "5.1.1 <bad@example.com>: mailbox
     * unavailable")} or {@code rejectRecipient("*@slow.test", 451, "4.3.0 try again later")}.
     *
     * @param addressOrPattern an address, or a pattern where {@code *} matches anything; case-insensitive
     * @param code a 4xx (transient) or 5xx (permanent) reply code
     */
    public void rejectRecipient(String addressOrPattern, int code, String text) {
        faults.rejectRecipient(addressOrPattern, code, text);
    }

    public void clearRejections() {
        faults.clearRejections();
    }

    /** Runs on GreenMail's connection thread before it answers 250 to the end of DATA. */
    private void accept(MovingMessage moving) throws Exception {
        MimeMessage mime = moving.getMessage();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mime.writeTo(raw);
        byte[] bytes = raw.toByteArray();
        StringJoiner envelope = new StringJoiner(", ");
        moving.getToAddresses().forEach(address -> envelope.add(address.getEmail()));
        String messageId = mime.getMessageID();
        ReceivedMail mail = new ReceivedMail(
                Instant.now(),
                join(mime.getFrom()),
                join(concat(mime.getRecipients(Message.RecipientType.TO), mime.getRecipients(Message.RecipientType.CC))),
                mime.getSubject() == null ? "" : mime.getSubject(),
                messageId == null ? "" : messageId,
                envelope.toString(),
                bytes.length);
        mailbox.record(mail, bytes.length <= SinkMailbox.RAW_LIMIT_BYTES ? bytes
                : Arrays.copyOf(bytes, SinkMailbox.RAW_LIMIT_BYTES));
    }

    private static Address[] concat(Address[] a, Address[] b) {
        List<Address> all = new ArrayList<>();
        if (a != null) {
            all.addAll(List.of(a));
        }
        if (b != null) {
            all.addAll(List.of(b));
        }
        return all.toArray(new Address[0]);
    }

    private static String join(Address[] addresses) {
        StringJoiner joiner = new StringJoiner(", ");
        if (addresses != null) {
            for (Address a : addresses) {
                joiner.add(a instanceof InternetAddress ia ? ia.toUnicodeString() : a.toString());
            }
        }
        return joiner.toString();
    }

    /*
     * Another process may take the port between this close and GreenMail's bind; GreenMail then fails
     * to start with a clear error, which is acceptable for a local sink.
     */
    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1 for the local SMTP sink", e);
        }
    }

    /** Whether {@code port} can be bound on 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * GreenMail builds its managers inside its own constructor, before any field of a subclass is set,
     * so the managers are swapped in {@link #createServices} and the sink is handed over right after.
     */
    private static final class SinkGreenMail extends GreenMail {

        SinkGreenMail(ServerSetup setup, LocalSmtpSink sink) {
            super(setup);
            ((SinkManagers) managers).use(sink);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] setups, Managers ignored) {
            if (!(managers instanceof SinkManagers)) {
                managers = new SinkManagers();
            }
            return super.createServices(setups, managers);
        }
    }

    private static final class SinkManagers extends Managers {

        private final SinkSmtpManager smtpManager = new SinkSmtpManager(getImapHostManager(), getUserManager());

        void use(LocalSmtpSink sink) {
            smtpManager.sink = sink;
        }

        @Override
        public SmtpManager getSmtpManager() {
            return smtpManager;
        }
    }

    /**
     * GreenMail's hooks into the SMTP dialogue: the reply to MAIL FROM (hang), RCPT TO (refused
     * recipients), the end of DATA (latency, a share of 4xx failures) and the delivery itself, which
     * records the message in the mailbox instead of GreenMail's in-memory store. GreenMail answers 250
     * only after {@link #send} returns, and "451 local error" if it throws.
     */
    private static final class SinkSmtpManager extends SmtpManager {

        private volatile LocalSmtpSink sink;

        SinkSmtpManager(ImapHostManager imap, UserManager users) {
            super(imap, users);
        }

        @Override
        public String checkSender(SmtpState state, MailAddress address) {
            if (!sink.faults.awaitNoHang()) {
                return SinkFaults.SHUTTING_DOWN;
            }
            return super.checkSender(state, address);
        }

        @Override
        public String checkRecipient(SmtpState state, MailAddress address) {
            String reply = sink.faults.recipientReply(address.getEmail()).orElse(null);
            return reply != null ? reply : super.checkRecipient(state, address);
        }

        @Override
        public String checkData(SmtpState state) {
            if (!sink.faults.delay()) {
                return SinkFaults.SHUTTING_DOWN;
            }
            return sink.faults.messageReply().orElseGet(() -> super.checkData(state));
        }

        @Override
        public void send(SmtpState state) {
            try {
                sink.accept(state.getMessage());
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException("The sink could not read the message: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("The sink could not record the message: " + e.getMessage(), e);
            }
        }
    }

}
