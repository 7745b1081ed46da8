package dev.jobdeck.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailerTest {

    private static final String MESSAGE_ID = "<job-4f2a9c@jobdeck>";

    private final Mailer mailer = new Mailer();
    private LocalSmtpSink sink;

    @BeforeEach
    void startSink() {
        sink = new LocalSmtpSink().start();
    }

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void deliversToTheSinkWithTheExactMessageId() throws Exception {
        DeliveryResult result = mailer.send(sink.settings(), message("ann@example.com"), MESSAGE_ID);

        assertThat(result.messageId()).isEqualTo(MESSAGE_ID);
        assertThat(result.serverReply()).startsWith("250");
        List<ReceivedMail> received = sink.messages();
        assertThat(received).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(MESSAGE_ID);
            assertThat(m.from()).isEqualTo("ops@jobdeck.dev");
            assertThat(m.to()).isEqualTo("ann@example.com");
            assertThat(m.subject()).isEqualTo("Quarterly report ✓");
        });
    }

    @Test
    void anInternationalisedDomainTravelsInItsAsciiFormWithTheDisplayNameKept() throws Exception {
        EmailMessage m = EmailMessage.of("ops@jobdeck.dev", "Jürgen Müller <jm@bücher.example>", "S", "body");

        mailer.send(sink.settings(), m, MESSAGE_ID);

        assertThat(sink.messages()).singleElement().satisfies(r -> {
            assertThat(r.recipients()).isEqualTo("jm@xn--bcher-kva.example");
            assertThat(r.to()).isEqualTo("\"Jürgen Müller\" <jm@xn--bcher-kva.example>");
        });
    }

    @Test
    void retryingSendsTheSameMessageIdAgain() throws Exception {
        mailer.send(sink.settings(), message("ann@example.com"), MESSAGE_ID);
        mailer.send(sink.settings(), message("ann@example.com"), MESSAGE_ID);

        assertThat(sink.messages()).extracting(ReceivedMail::messageId).containsExactly(MESSAGE_ID, MESSAGE_ID);
    }

    @Test
    void bccRecipientGetsTheMessageButIsNotInTheHeaders() throws Exception {
        EmailMessage m = EmailMessage.of("ops@jobdeck.dev", "ann@example.com", List.of("cc@example.com"),
                List.of("hidden@example.com"), "S", "body");

        mailer.send(sink.settings(), m, MESSAGE_ID);

        assertThat(sink.messages()).singleElement().satisfies(r -> {
            assertThat(r.to()).isEqualTo("ann@example.com, cc@example.com");
            assertThat(r.recipients().split(", "))
                    .containsExactlyInAnyOrder("ann@example.com", "cc@example.com", "hidden@example.com");
        });
    }

    @Test
    void rejectedRecipientIsPermanentWithTheServersCodeAndText() {
        sink.rejectRecipient("bad@example.com", 550, "5.1.1 <bad@example.com>: mailbox unavailable");

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> mailer.send(sink.settings(), message("bad@example.com"), MESSAGE_ID));

        assertThat(e).isNotNull();
        assertThat(e.failure().kind()).isEqualTo(SmtpFailure.Kind.PERMANENT);
        assertThat(e.replyCode()).isEqualTo(550);
        assertThat(e.replyText()).isEqualTo("550 5.1.1 <bad@example.com>: mailbox unavailable");
        assertThat(e.getMessage()).contains("bad@example.com").contains("550 5.1.1");
        assertThat(sink.messageCount()).isZero();
    }

    @Test
    void temporarilyRefusedRecipientIsTransient() {
        sink.rejectRecipient("*@greylisted.test", 451, "4.7.1 greylisted, try again later");

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> mailer.send(sink.settings(), message("ann@greylisted.test"), MESSAGE_ID));

        assertThat(e).isNotNull();
        assertThat(e.replyCode()).isEqualTo(451);
        assertThat(e.replyText()).isEqualTo("451 4.7.1 greylisted, try again later");
    }

    @Test
    void clearedRejectionLetsTheRetrySucceed() throws Exception {
        sink.rejectRecipient("ann@example.com", 451, "4.3.0 try later");
        assertThatThrownBy(() -> mailer.send(sink.settings(), message("ann@example.com"), MESSAGE_ID))
                .isInstanceOf(TransientDeliveryException.class);

        sink.clearRejections();
        mailer.send(sink.settings(), message("ann@example.com"), MESSAGE_ID);

        assertThat(sink.messages()).extracting(ReceivedMail::messageId).containsExactly(MESSAGE_ID);
    }

    @Test
    void closedPortIsTransientConnectionRefused() throws Exception {
        int closed = closedPort();
        SmtpSettings settings = SmtpSettings.of("127.0.0.1", closed);

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> mailer.send(settings, message("ann@example.com"), MESSAGE_ID));

        assertThat(e).isNotNull();
        assertThat(e.replyCode()).isZero();
        assertThat(e.getMessage()).isEqualTo("Connection refused by 127.0.0.1:" + closed);
    }

    @Test
    void serverThatNeverAnswersTimesOutAsTransientWithinTheReadTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            SmtpSettings settings = SmtpSettings.of("127.0.0.1", silent.port())
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofMillis(500));

            long start = System.nanoTime();
            TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                    () -> mailer.send(settings, message("ann@example.com"), MESSAGE_ID));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).isEqualTo("No reply from 127.0.0.1:" + silent.port() + " within 500 ms");
            assertThat(e.replyCode()).isZero();
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(450)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void testConnectionAgainstTheSinkReturnsItsReply() throws Exception {
        ConnectionReport report = mailer.testConnection(sink.settings());

        assertThat(report.greeting()).startsWith("220 ");
        assertThat(report.capabilities()).isNotEmpty();
        assertThat(report.tlsProtocol()).isEmpty();
    }

    @Test
    void testConnectionWithRejectedCredentialsIsPermanent535() {
        SmtpSettings settings = sink.settings().withCredentials("stranger", "wrong-password");

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> mailer.testConnection(settings));

        assertThat(e).isNotNull();
        assertThat(e.replyCode()).isEqualTo(535);
        assertThat(e.getMessage()).startsWith("Authentication failed: 535").doesNotContain("wrong-password");
    }

    @Test
    void sendWithRejectedCredentialsIsPermanentAndDeliversNothing() {
        SmtpSettings settings = sink.settings().withCredentials("stranger", "wrong-password");

        assertThatThrownBy(() -> mailer.send(settings, message("ann@example.com"), MESSAGE_ID))
                .isInstanceOf(PermanentDeliveryException.class);
        assertThat(sink.messageCount()).isZero();
    }

    @Test
    void requiredStartTlsThatTheServerDoesNotOfferFailsInsteadOfSendingInClear() {
        SmtpSettings settings = sink.settings().withSecurity(SmtpSecurity.STARTTLS);

        assertThatThrownBy(() -> mailer.send(settings, message("ann@example.com"), MESSAGE_ID))
                .isInstanceOf(DeliveryException.class)
                .hasMessageContaining("STARTTLS");
        assertThat(sink.messageCount()).isZero();
    }

    @Test
    void testConnectionAgainstAClosedPortFailsClearly() throws Exception {
        int closed = closedPort();

        assertThatThrownBy(() -> mailer.testConnection(SmtpSettings.of("127.0.0.1", closed)))
                .isInstanceOf(TransientDeliveryException.class)
                .hasMessage("Connection refused by 127.0.0.1:" + closed);
    }

    @Test
    void testConnectionAgainstASilentServerReportsNoReply() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            SmtpSettings settings = SmtpSettings.of("127.0.0.1", silent.port())
                    .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));

            assertThatThrownBy(() -> mailer.testConnection(settings))
                    .isInstanceOf(TransientDeliveryException.class)
                    .hasMessage("No reply from 127.0.0.1:" + silent.port() + " within 1 s");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "job-1@jobdeck", "<job-1>", "<job 1@jobdeck>", "<job-1@jobdeck>\r\nBcc: x@y.z"})
    void malformedMessageIdIsRefusedBeforeConnecting(String messageId) {
        assertThatThrownBy(() -> mailer.send(sink.settings(), message("ann@example.com"), messageId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Message-ID");
    }

    @Test
    void concurrentSendsFromManyThreadsAllArrive() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DeliveryResult>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String id = "<job-" + i + "@jobdeck>";
                results.add(pool.submit(() -> mailer.send(sink.settings(), message("ann@example.com"), id)));
            }
            for (Future<DeliveryResult> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS).serverReply()).startsWith("250");
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(sink.messages()).extracting(ReceivedMail::messageId).hasSize(8).doesNotHaveDuplicates();
    }

    private static EmailMessage message(String to) {
        return EmailMessage.of("ops@jobdeck.dev", to, "Quarterly report ✓", "Numbers attached.\nRegards");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Accepts TCP connections and never writes a byte, like a hung or black-holed server. */
    private static final class SilentServer implements AutoCloseable {

        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final ExecutorService acceptor = Executors.newSingleThreadExecutor();

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor.execute(this::acceptUntilClosed);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptUntilClosed() {
            while (!socket.isClosed()) {
                try {
                    accepted.add(socket.accept());
                } catch (IOException e) {
                    // Closing the server socket is how this loop is told to end.
                    return;
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
            acceptor.shutdown();
            acceptor.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
