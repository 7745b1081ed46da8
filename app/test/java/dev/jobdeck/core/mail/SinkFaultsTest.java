package dev.jobdeck.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fault injection in the built-in sink, seen from a real SMTP client (Angus Mail). */
class SinkFaultsTest {

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

    private DeliveryResult send(String id) throws DeliveryException {
        return mailer.send(sink.settings(), EmailMessage.of("ops@jobdeck.dev", "ann@example.com", "S " + id, "B"),
                "<" + id + "@jobdeck>");
    }

    private DeliveryResult send(SmtpSettings settings, String id) throws DeliveryException {
        return mailer.send(settings, EmailMessage.of("ops@jobdeck.dev", "ann@example.com", "S " + id, "B"),
                "<" + id + "@jobdeck>");
    }

    @Test
    void halfOfTheMessagesFailWith451FirstOneFirst() throws Exception {
        sink.faults().failPercent(50);

        List<String> outcomes = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            try {
                send("m" + i);
                outcomes.add("sent");
            } catch (TransientDeliveryException e) {
                assertThat(e.replyCode()).isEqualTo(451);
                outcomes.add("451");
            }
        }

        assertThat(outcomes).containsExactly("451", "sent", "451", "sent", "451", "sent");
        assertThat(sink.messageCount()).isEqualTo(3);
    }

    @Test
    void hundredPercentFailsEveryMessageAndZeroNone() throws Exception {
        sink.faults().failPercent(100);
        assertThatThrownBy(() -> send("a")).isInstanceOf(TransientDeliveryException.class);
        assertThatThrownBy(() -> send("b")).isInstanceOf(TransientDeliveryException.class);

        sink.faults().failPercent(0);
        send("c");

        assertThat(sink.messages()).extracting(ReceivedMail::messageId).containsExactly("<c@jobdeck>");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 101, 1000})
    void percentageOutsideZeroToHundredIsRefusedAndChangesNothing(int percent) {
        sink.faults().failPercent(20);

        assertThatThrownBy(() -> sink.faults().failPercent(percent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 0 to 100");
        assertThat(sink.faults().snapshot().failPercent()).isEqualTo(20);
    }

    @Test
    void negativeLatencyIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> sink.faults().latency(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zero or more");
        assertThat(sink.faults().snapshot().latency()).isZero();
    }

    @Test
    void latencyDelaysTheReplyToEachMessage() throws Exception {
        sink.faults().latency(Duration.ofMillis(400));

        long start = System.nanoTime();
        send("slow");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(sink.messageCount()).isEqualTo(1);
    }

    @Test
    void hangingSinkIsLeftByTheReadTimeoutAndAnswersOnceTheHangEnds() throws Exception {
        sink.faults().hang(true);
        SmtpSettings impatient = sink.settings().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofMillis(500));

        long start = System.nanoTime();
        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class, () -> send(impatient, "hung"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("No reply from 127.0.0.1:" + sink.port() + " within 500 ms");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(sink.messageCount()).isZero();

        sink.faults().hang(false);
        assertThat(send(impatient, "after").serverReply()).startsWith("250");
    }

    @Test
    void stoppingTheSinkLetsGoOfHungConnections() throws Exception {
        sink.faults().hang(true);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            // Default 30 s read timeout: only the sink going down can end this attempt quickly.
            Future<DeliveryResult> attempt = client.submit(() -> send("stuck"));
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.faults().hungConnections() == 1);
            sink.stop();

            assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TransientDeliveryException.class);
            // The sink's own thread is let go too, not only the client's socket closed.
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.faults().hungConnections() == 0);
        } finally {
            client.shutdownNow();
        }
        assertThat(sink.faults().snapshot().hanging()).as("the hang stays set for the next run").isTrue();
    }

    @Test
    void downSinkRefusesConnectionsAndComesBackOnTheSamePort() throws Exception {
        int port = sink.port();
        sink.stop();

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class, () -> send("down"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("Connection refused by 127.0.0.1:" + port);
        assertThat(sink.settings().port()).isEqualTo(port);

        sink.start();

        assertThat(sink.port()).isEqualTo(port);
        assertThat(send("back").serverReply()).startsWith("250");
    }

    @Test
    void snapshotShowsEveryFaultInForceAndClearAllRemovesThem() {
        sink.faults().failPercent(30);
        sink.faults().latency(Duration.ofMillis(250));
        sink.faults().hang(true);
        sink.rejectRecipient("*@blocked.test", 550, "5.7.1 blocked");

        SinkFaults.Snapshot snapshot = sink.faults().snapshot();
        assertThat(snapshot.failPercent()).isEqualTo(30);
        assertThat(snapshot.latency()).isEqualTo(Duration.ofMillis(250));
        assertThat(snapshot.hanging()).isTrue();
        assertThat(snapshot.rejections()).containsExactly("*@blocked.test → 550 5.7.1 blocked");
        assertThat(snapshot.none()).isFalse();

        sink.faults().clearAll();

        assertThat(sink.faults().snapshot().none()).isTrue();
    }

    @Test
    void duplicateDeliveriesAreCountedPerMessageId() throws Exception {
        send("once");
        send("twice");
        send("twice");
        send("thrice");
        send("thrice");
        send("thrice");

        assertThat(sink.mailbox().duplicateMessageIds())
                .containsOnlyKeys("<twice@jobdeck>", "<thrice@jobdeck>")
                .containsEntry("<twice@jobdeck>", 2)
                .containsEntry("<thrice@jobdeck>", 3);
        assertThat(sink.mailbox().countByMessageId("<once@jobdeck>")).isEqualTo(1);
    }
}
