package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.mail.DeliveryException;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.PermanentDeliveryException;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.mailbox.FaultPanelModel.RejectCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fault panel's rules on a real sink (GreenMail on 127.0.0.1) and a real mailer, without a store: the panel never
 * reaches one (MailboxModelTest covers the sink as the console opens it).
 */
class FaultPanelModelTest {

    private final Mailer mailer = new Mailer();
    private LocalSmtpSink sink;
    private FaultPanelModel model;

    @BeforeEach
    void open() {
        sink = new LocalSmtpSink().start();
        model = new FaultPanelModel(Optional.of(sink), TaskRunner.direct());
    }

    @AfterEach
    void close() {
        sink.close();
    }

    private void deliver(String to, String subject) throws DeliveryException {
        mailer.send(sink.settings(), EmailMessage.of("jobdeck@localhost", to, subject, "Body"),
                "<" + subject.replace(' ', '-') + "@jobdeck>");
    }

    @Test
    void rejectionRuleMakesTheSinkRefuseTheRecipient() {
        model.rejectAddressProperty().set("bad@example.com");
        model.rejectCodeProperty().set(RejectCode.PERMANENT);

        model.addRejection();

        assertThat(model.rejections()).singleElement().asString().startsWith("bad@example.com → 550");
        assertThat(model.faultSummaryProperty().get()).contains("1 refusal rule");
        assertThat(model.rejectAddressProperty().get()).isEmpty();
        assertThatThrownBy(() -> deliver("bad@example.com", "refused")).isInstanceOf(PermanentDeliveryException.class);

        model.clearRejections();

        assertThat(model.rejections()).isEmpty();
    }

    @Test
    void blankRejectionAddressIsRefused() {
        model.rejectAddressProperty().set("  ");

        model.addRejection();

        assertThat(model.rejectErrorProperty().get()).contains("Enter an address");
        assertThat(model.rejections()).isEmpty();
    }

    @Test
    void failureShareAndLatencyAreAppliedTogetherAndShown() {
        model.failPercentProperty().set("30");
        model.latencyMillisProperty().set("250");

        model.applyFaults();

        assertThat(sink.faults().snapshot().failPercent()).isEqualTo(30);
        assertThat(sink.faults().snapshot().latency()).isEqualTo(Duration.ofMillis(250));
        assertThat(model.faultsActiveProperty().get()).isTrue();
        assertThat(model.faultSummaryProperty().get()).contains("30 % of messages get 451").contains("250 ms latency");
    }

    @ParameterizedTest
    @CsvSource({"101, 0", "-1, 0", "ten, 0", "50, -5", "50, 600001", "50, 1.5"})
    void badFailureShareOrLatencyGetsAMessageAndChangesNothing(String percent, String latency) {
        model.failPercentProperty().set(percent);
        model.latencyMillisProperty().set(latency);

        model.applyFaults();

        String errors = model.failPercentErrorProperty().get() + model.latencyErrorProperty().get();
        assertThat(errors).containsAnyOf("from 0 to 100", "milliseconds from 0");
        assertThat(sink.faults().snapshot().none()).isTrue();
        assertThat(model.faultSummaryProperty().get()).startsWith("No faults");
    }

    @Test
    void hangIsShownAndEnds() {
        model.setHanging(true);

        assertThat(sink.faults().snapshot().hanging()).isTrue();
        assertThat(model.hangingProperty().get()).isTrue();
        assertThat(model.faultSummaryProperty().get()).contains("hanging at MAIL FROM");

        model.setHanging(false);
        assertThat(sink.faults().snapshot().hanging()).isFalse();
    }

    @Test
    void sinkGoesDownAndComesBackOnTheSamePort() throws Exception {
        int port = sink.port();

        model.setSinkDown(true);

        assertThat(sink.isRunning()).isFalse();
        assertThat(model.sinkUpProperty().get()).isFalse();
        assertThat(model.sinkStateProperty().get()).isEqualTo("Down: connections to 127.0.0.1:" + port + " are refused");
        assertThatThrownBy(() -> deliver("ann@example.com", "while down"))
                .isInstanceOf(dev.jobdeck.core.mail.TransientDeliveryException.class);

        model.setSinkDown(false);

        assertThat(sink.isRunning()).isTrue();
        assertThat(sink.port()).isEqualTo(port);
        assertThat(model.sinkStateProperty().get()).isEqualTo("Listening on 127.0.0.1:" + port);
        deliver("ann@example.com", "back up");
    }

    @Test
    void clearAllFaultsMakesTheSinkHealthyAgain() {
        model.failPercentProperty().set("100");
        model.applyFaults();
        model.setHanging(true);
        model.setSinkDown(true);

        model.clearAllFaults();

        assertThat(sink.faults().snapshot().none()).isTrue();
        assertThat(sink.isRunning()).isTrue();
        assertThat(model.failPercentProperty().get()).isEqualTo("0");
        assertThat(model.faultSummaryProperty().get()).startsWith("No faults");
    }

    @Test
    void aFieldsMessageGoesWhenThatFieldIsEdited() {
        model.failPercentProperty().set("101");
        model.latencyMillisProperty().set("-5");
        model.applyFaults();

        model.failPercentProperty().set("10");

        assertThat(model.failPercentErrorProperty().get()).isEmpty();
        assertThat(model.latencyErrorProperty().get()).contains("milliseconds from 0");
    }

    @Test
    void withoutASinkThereIsNothingToInjectAndNoState() {
        FaultPanelModel noSink = new FaultPanelModel(Optional.empty(), TaskRunner.direct());

        noSink.failPercentProperty().set("50");
        noSink.applyFaults();
        noSink.setSinkDown(true);

        assertThat(noSink.sinkAvailable()).isFalse();
        assertThat(noSink.sinkStateProperty().get()).isEmpty();
        assertThat(noSink.faultSummaryProperty().get()).isEmpty();
        assertThat(noSink.problemProperty().get()).isEmpty();
    }
}
