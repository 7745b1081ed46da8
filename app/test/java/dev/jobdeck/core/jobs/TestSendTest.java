package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.jobs.TestSend.InvalidTestSendException;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.PermanentDeliveryException;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.mail.TransientDeliveryException;
import dev.jobdeck.testsupport.ConsoleStore;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** "Send test" through the current SMTP server (the console's real sink): one e-mail, no job, no outbox row. */
@ConsoleStore
class TestSendTest {

    private static final Recipient ANN = new Recipient("ann@example.org", Map.of("email", "ann@example.org", "name", "Ann"));

    private ConsoleServices services;
    private LocalSmtpSink sink;

    @BeforeEach
    void open(ConsoleServices services) {
        this.services = services;
        sink = services.sink().orElseThrow();
    }

    private static SendRequest request(String subject, String body) {
        return new SendRequest("ops@jobdeck.test", "ann@example.org", "cc@example.org", "bcc@example.org", subject, body,
                When.now(), BodyFormat.HTML, "", "");
    }

    @Test
    void sendsTheChosenRecipientsMergedEmailToTheTestAddressOnlyAndCreatesNoJob() throws Exception {
        TestSend.Sent sent = services.parts().testSend().send(request("Hi {{name}}", "<p>For {{email}}</p>"), ANN, "qa@jobdeck.test");

        assertThat(sent.reply()).startsWith("250");
        assertThat(sent.server()).isEqualTo(sink.settings().address());
        assertThat(sink.messages()).singleElement().satisfies(mail -> {
            assertThat(mail.subject()).isEqualTo("Hi Ann");
            assertThat(mail.to()).isEqualTo("qa@jobdeck.test");
            assertThat(mail.recipients()).isEqualTo("qa@jobdeck.test");
            assertThat(mail.messageId()).isEqualTo(sent.messageId());
        });
        assertThat(Consoles.total(services)).isZero();
        assertThat(services.parts().outbox().withoutJob()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {3}: {4}")
    @CsvSource(delimiter = '|', value = {
            "''          | Hi          | Body          | ADDRESS | Enter the address",
            "qa@         | Hi          | Body          | ADDRESS | qa@",
            "qa@x.test   | Hi {{nick}} | Body          | SUBJECT | nick",
            "qa@x.test   | Hi          | {{#a}}        | BODY    | line 1, column 1",
    })
    void badInputSendsNothing(String address, String subject, String body, String where, String message) {
        assertThatThrownBy(() -> services.parts().testSend().send(request(subject, body), ANN, address))
                .isInstanceOfSatisfying(InvalidTestSendException.class, e -> {
                    if (where.equals("ADDRESS")) {
                        assertThat(e.addressProblem()).hasValueSatisfying(p -> assertThat(p).contains(message));
                    } else {
                        assertThat(e.problems().get(Field.valueOf(where))).contains(message);
                    }
                });
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void refusedTestAddressIsAPermanentFailureWithTheServersReply() {
        sink.rejectRecipient("qa@jobdeck.test", 550, "5.1.1 no such mailbox");

        assertThatThrownBy(() -> services.parts().testSend().send(request("Hi", "B"), ANN, "qa@jobdeck.test"))
                .isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
                    assertThat(e.replyCode()).isEqualTo(550);
                    assertThat(e.replyText()).contains("no such mailbox");
                });
    }

    @Test
    void serverDownIsATransientFailure() {
        sink.stop();

        assertThatThrownBy(() -> services.parts().testSend().send(request("Hi", "B"), ANN, "qa@jobdeck.test"))
                .isInstanceOf(TransientDeliveryException.class);
        assertThat(sink.messages()).extracting(ReceivedMail::to).isEmpty();
    }
}
