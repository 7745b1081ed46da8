package dev.jobdeck.core.mail;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The built-in SMTP server, so a fresh install sends real SMTP with no setup. It listens on
 * 127.0.0.1 only (nothing listens beyond loopback unless configured), keeps messages in memory, and
 * can be told to refuse recipients so operators and tests can watch retries and failures happen.
 */
public final class LocalSmtpSink implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private final int requestedPort;
    private final RecipientFaults faults = new RecipientFaults();
    private SinkGreenMail greenMail;
    private int port;

    /** A sink on a free port chosen at {@link #start()}. */
    public LocalSmtpSink() {
        this(0);
    }

    /** A sink on {@code port}, or on a free port when {@code port} is 0. */
    public LocalSmtpSink(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, was " + port);
        }
        this.requestedPort = port;
    }

    /** Starts listening; a no-op when already running. Messages from an earlier run are not kept. */
    public synchronized LocalSmtpSink start() {
        if (greenMail != null) {
            return this;
        }
        int chosen = requestedPort == 0 ? freeLoopbackPort() : requestedPort;
        SinkGreenMail gm = new SinkGreenMail(new ServerSetup(chosen, LOOPBACK, ServerSetup.PROTOCOL_SMTP), faults);
        gm.start();
        greenMail = gm;
        port = chosen;
        return this;
    }

    public synchronized void stop() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return greenMail != null && greenMail.isRunning();
    }

    /** The port being listened on; only meaningful once started. */
    public synchronized int port() {
        requireRunning();
        return port;
    }

    public String host() {
        return LOOPBACK;
    }

    /** Settings that reach this sink: plain SMTP, no authentication, default timeouts. */
    public SmtpSettings settings() {
        return SmtpSettings.of(LOOPBACK, port());
    }

    /** Received messages, newest first. A message sent to several recipients appears once per recipient. */
    public List<ReceivedMail> messages() {
        List<StoredMessage> stored = running().getManagers().getImapHostManager().getAllMessages();
        List<ReceivedMail> mails = new ArrayList<>(stored.size());
        for (StoredMessage message : stored) {
            mails.add(toReceivedMail(message));
        }
        // Reversed first so that messages stored in the same millisecond still come newest first
        // (the store lists each mailbox oldest first and the sort is stable).
        Collections.reverse(mails);
        mails.sort(Comparator.comparing(ReceivedMail::receivedAt).reversed());
        return mails;
    }

    public int messageCount() {
        return running().getManagers().getImapHostManager().getAllMessages().size();
    }

    /** Deletes every received message. */
    public void clear() {
        try {
            running().purgeEmailFromAllMailboxes();
        } catch (FolderException e) {
            throw new IllegalStateException("Could not clear the local SMTP sink", e);
        }
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
        faults.add(addressOrPattern, code, text);
    }

    public void clearRejections() {
        faults.clear();
    }

    private synchronized SinkGreenMail running() {
        requireRunning();
        return greenMail;
    }

    private void requireRunning() {
        if (greenMail == null) {
            throw new IllegalStateException("The local SMTP sink is not running");
        }
    }

    private static ReceivedMail toReceivedMail(StoredMessage stored) {
        MimeMessage mime = stored.getMimeMessage();
        Instant receivedAt = stored.getReceivedDate() == null ? Instant.EPOCH : stored.getReceivedDate().toInstant();
        try {
            String messageId = mime.getMessageID();
            return new ReceivedMail(
                    receivedAt,
                    join(mime.getFrom()),
                    join(concat(mime.getRecipients(Message.RecipientType.TO), mime.getRecipients(Message.RecipientType.CC))),
                    mime.getSubject() == null ? "" : mime.getSubject(),
                    messageId == null ? "" : messageId);
        } catch (MessagingException e) {
            // One unreadable message must not hide the others from the mailbox view.
            return new ReceivedMail(receivedAt, "", "", "(unreadable message: " + e.getMessage() + ")", "");
        }
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

    /**
     * GreenMail offers no hook for RCPT replies except {@link SmtpManager#checkRecipient}, and builds
     * its managers inside its own constructor, before any field of a subclass is set. So the managers
     * are swapped in {@link #createServices} and the fault rules are handed over right after.
     */
    private static final class SinkGreenMail extends GreenMail {

        SinkGreenMail(ServerSetup setup, RecipientFaults faults) {
            super(setup);
            ((FaultInjectingManagers) managers).use(faults);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] setups, Managers ignored) {
            if (!(managers instanceof FaultInjectingManagers)) {
                managers = new FaultInjectingManagers();
            }
            return super.createServices(setups, managers);
        }
    }

    private static final class FaultInjectingManagers extends Managers {

        private final FaultInjectingSmtpManager smtpManager =
                new FaultInjectingSmtpManager(getImapHostManager(), getUserManager());

        void use(RecipientFaults faults) {
            smtpManager.faults = faults;
        }

        @Override
        public SmtpManager getSmtpManager() {
            return smtpManager;
        }
    }

    private static final class FaultInjectingSmtpManager extends SmtpManager {

        private volatile RecipientFaults faults;

        FaultInjectingSmtpManager(ImapHostManager imap, UserManager users) {
            super(imap, users);
        }

        @Override
        public String checkRecipient(SmtpState state, MailAddress address) {
            RecipientFaults current = faults;
            if (current != null) {
                String reply = current.replyFor(address.getEmail()).orElse(null);
                if (reply != null) {
                    return reply;
                }
            }
            return super.checkRecipient(state, address);
        }
    }
}
