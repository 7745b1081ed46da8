package dev.jobdeck.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalSmtpSinkTest {

    private final Mailer mailer = new Mailer();

    @Test
    void listensOnLoopbackOnly() throws Exception {
        try (LocalSmtpSink sink = new LocalSmtpSink().start()) {
            assertThat(sink.settings().host()).isEqualTo("127.0.0.1");
            assertThat(canConnect(InetAddress.getLoopbackAddress(), sink.port())).isTrue();

            Optional<InetAddress> external = nonLoopbackAddress();
            if (external.isPresent()) {
                assertThat(canConnect(external.get(), sink.port())).as("reachable on " + external.get()).isFalse();
            }
            // On Linux all of 127/8 is loopback: if the sink held the wildcard address, 127.0.0.2 could
            // not be bound on its port; binding it proves the sink listens on 127.0.0.1 alone.
            InetAddress otherLoopback = InetAddress.getByName("127.0.0.2");
            assumeTrue(canBind(otherLoopback), "127.0.0.2 is not configured on this machine");
            try (ServerSocket sameport = new ServerSocket(sink.port(), 1, otherLoopback)) {
                assertThat(sameport.getLocalPort()).isEqualTo(sink.port());
            }
        }
    }

    @Test
    void explicitPortIsUsed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (LocalSmtpSink sink = new LocalSmtpSink(port).start()) {
            assertThat(sink.port()).isEqualTo(port);
            assertThat(sink.settings().port()).isEqualTo(port);
        }
    }

    @Test
    void acceptsMailForAnyRecipientWithoutCreatingUsers() throws Exception {
        try (LocalSmtpSink sink = new LocalSmtpSink().start()) {
            mailer.send(sink.settings(), EmailMessage.of("a@x.org", "nobody-configured@anywhere.test", "S", ""),
                    "<1@jobdeck>");

            assertThat(sink.messageCount()).isEqualTo(1);
        }
    }

    @Test
    void messagesAreListedNewestFirst() throws Exception {
        try (LocalSmtpSink sink = new LocalSmtpSink().start()) {
            for (int i = 1; i <= 3; i++) {
                mailer.send(sink.settings(), EmailMessage.of("a@x.org", "b@x.org", "Mail " + i, ""), "<" + i + "@jobdeck>");
            }

            List<ReceivedMail> mails = sink.messages();

            assertThat(mails).extracting(ReceivedMail::subject).containsExactly("Mail 3", "Mail 2", "Mail 1");
            assertThat(mails.get(0).receivedAt()).isAfterOrEqualTo(mails.get(2).receivedAt());
        }
    }

    @Test
    void clearRemovesAllMessages() throws Exception {
        try (LocalSmtpSink sink = new LocalSmtpSink().start()) {
            mailer.send(sink.settings(), EmailMessage.of("a@x.org", "b@x.org", "S", ""), "<1@jobdeck>");

            sink.clear();

            assertThat(sink.messageCount()).isZero();
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void rejectionAppliesOnlyToMatchingRecipients() throws Exception {
        try (LocalSmtpSink sink = new LocalSmtpSink().start()) {
            sink.rejectRecipient("BAD@example.com", 550, "5.1.1 mailbox unavailable");

            mailer.send(sink.settings(), EmailMessage.of("a@x.org", "good@example.com", "S", ""), "<1@jobdeck>");
            assertThatThrownBy(() -> mailer.send(sink.settings(),
                    EmailMessage.of("a@x.org", "bad@EXAMPLE.com", "S", ""), "<2@jobdeck>"))
                    .isInstanceOf(PermanentDeliveryException.class);

            assertThat(sink.messages()).extracting(ReceivedMail::to).containsExactly("good@example.com");
        }
    }

    @Test
    void rejectionsSurviveARestart() throws Exception {
        try (LocalSmtpSink sink = new LocalSmtpSink().start()) {
            sink.rejectRecipient("*", 421, "4.3.2 shutting down");
            sink.stop();
            sink.start();

            assertThatThrownBy(() -> mailer.send(sink.settings(), EmailMessage.of("a@x.org", "b@x.org", "S", ""),
                    "<1@jobdeck>"))
                    .isInstanceOf(TransientDeliveryException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {250, 399, 600, 0})
    void injectedReplyMustBeAnErrorCode(int code) {
        try (LocalSmtpSink sink = new LocalSmtpSink()) {
            assertThatThrownBy(() -> sink.rejectRecipient("a@x.org", code, "nope"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void injectedReplyMustBeOneLine() {
        try (LocalSmtpSink sink = new LocalSmtpSink()) {
            assertThatThrownBy(() -> sink.rejectRecipient("a@x.org", 550, "no\r\n250 OK"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line breaks");
        }
    }

    @Test
    void stoppedSinkSaysSo() {
        LocalSmtpSink sink = new LocalSmtpSink();

        assertThat(sink.isRunning()).isFalse();
        assertThatThrownBy(sink::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
    }

    @Test
    void stoppedSinkRefusesConnections() throws Exception {
        LocalSmtpSink sink = new LocalSmtpSink().start();
        SmtpSettings settings = sink.settings();
        sink.stop();

        assertThatThrownBy(() -> mailer.testConnection(settings)).isInstanceOf(TransientDeliveryException.class);
    }

    private static boolean canConnect(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean canBind(InetAddress address) {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
