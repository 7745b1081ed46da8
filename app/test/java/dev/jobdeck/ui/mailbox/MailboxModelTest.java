package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.DeliveryException;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.PermanentDeliveryException;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.Refresher;
import dev.jobdeck.ui.TaskRunner;
import dev.jobdeck.ui.mailbox.MailboxModel.RejectCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MailboxModelTest {

    @TempDir
    Path tempDir;

    private ConsoleServices services;
    private Refresher refresher;
    private LocalSmtpSink sink;
    private MailboxModel model;

    @BeforeEach
    void open() throws Exception {
        services = ConsoleServices.open(new DataDirectory(tempDir), ConsoleServices.Options.console());
        sink = services.sink().orElseThrow();
        refresher = new Refresher();
        model = new MailboxModel(services.sink(), TaskRunner.direct(), refresher, Runnable::run, ZoneId.systemDefault());
    }

    @AfterEach
    void close() {
        refresher.close();
        services.close();
    }

    private void deliver(String to, String subject) throws DeliveryException {
        services.mailer().send(sink.settings(), EmailMessage.of("jobdeck@localhost", to, subject, "Body"),
                "<" + subject.replace(' ', '-') + "@jobdeck>");
    }

    @Test
    void listsWhatTheSinkReceivedNewestFirst() throws Exception {
        deliver("ann@example.com", "first");
        Thread.sleep(5);
        deliver("bob@example.com", "second");

        model.refresh();

        assertThat(model.messages()).extracting(ReceivedMail::subject).containsExactly("second", "first");
        assertThat(model.messages().get(0).messageId()).isEqualTo("<second@jobdeck>");
        assertThat(model.countProperty().get()).isEqualTo("2 messages");
        assertThat(model.receivedText(model.messages().get(0))).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void newArrivalsArePrependedWithoutReplacingExistingRows() throws Exception {
        deliver("ann@example.com", "first");
        model.refresh();
        ReceivedMail first = model.messages().get(0);
        Thread.sleep(5);
        deliver("bob@example.com", "second");

        model.refresh();

        assertThat(model.messages()).hasSize(2);
        assertThat(model.messages().get(1)).isSameAs(first);
    }

    @Test
    void livePollingPicksUpNewMailUntilStopped() throws Exception {
        model.startLive();
        deliver("ann@example.com", "live");

        await().atMost(Duration.ofSeconds(5)).until(() -> model.countProperty().get().equals("1 message"));
        model.stopLive();
    }

    @Test
    void clearEmptiesTheSink() throws Exception {
        deliver("ann@example.com", "gone");
        model.refresh();

        model.clear();

        assertThat(model.messages()).isEmpty();
        assertThat(sink.messageCount()).isZero();
        assertThat(model.countProperty().get()).isEqualTo("0 messages");
    }

    @Test
    void rejectionRuleMakesTheSinkRefuseTheRecipient() {
        model.rejectAddressProperty().set("bad@example.com");
        model.rejectCodeProperty().set(RejectCode.PERMANENT);

        model.addRejection();

        assertThat(model.rejections()).singleElement().asString().startsWith("bad@example.com → 550");
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
    void withoutASinkNothingIsPolled() {
        MailboxModel noSink = new MailboxModel(Optional.empty(), TaskRunner.direct(), refresher, Runnable::run, ZoneId.systemDefault());

        noSink.startLive();
        noSink.refresh();

        assertThat(noSink.sinkAvailable()).isFalse();
        assertThat(noSink.messages()).isEmpty();
    }
}
