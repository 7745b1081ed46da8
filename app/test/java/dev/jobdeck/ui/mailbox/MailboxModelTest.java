package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.DeliveryException;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.fx.Refresher;
import dev.jobdeck.ui.fx.TaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MailboxModelTest {

    @TempDir
    Path tempDir;

    private final Mailer mailer = new Mailer();
    private Refresher refresher;
    private LocalSmtpSink sink;
    private MailboxModel model;

    /** A real sink without a store (its messages in memory): the model's logic; the console's sink is the restart test's. */
    @BeforeEach
    void open() {
        sink = new LocalSmtpSink().start();
        refresher = new Refresher();
        model = new MailboxModel(Optional.of(sink), Optional.empty(), TaskRunner.direct(), refresher, Runnable::run, ZoneId.systemDefault());
    }

    @AfterEach
    void close() {
        refresher.close();
        sink.close();
    }

    private void deliver(String to, String subject) throws DeliveryException {
        deliver(sink, to, subject);
    }

    private void deliver(LocalSmtpSink to, String address, String subject) throws DeliveryException {
        mailer.send(to.settings(), EmailMessage.of("jobdeck@localhost", address, subject, "Body"),
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
    void theCountIsEveryMessageTheSinkHoldsAlsoPastTheNewestItLists() throws Exception {
        int held = LocalSmtpSink.LIST_LIMIT + 2;
        for (int i = 0; i < held; i++) {
            sink.mailbox().record(new ReceivedMail(Instant.now(), "jobdeck@localhost", "user" + i + "@example.com",
                    "mail " + i, "<" + i + "@jobdeck>", "user" + i + "@example.com", 100), new byte[0]);
        }

        model.refresh();

        assertThat(model.messages()).hasSize(LocalSmtpSink.LIST_LIMIT);
        assertThat(model.countProperty().get()).isEqualTo("1,002 messages, the newest 1,000 listed");
    }

    @ParameterizedTest(name = "{0} held, {1} listed: {2}")
    @CsvSource(delimiter = '|', value = {
            "0     | 0    | 0 messages",
            "1     | 1    | 1 message",
            "999   | 999  | 999 messages",
            "10000 | 1000 | 10,000 messages, the newest 1,000 listed",
    })
    void theCountSaysHowManyAreHeldAndHowManyListed(int total, int listed, String text) {
        assertThat(MailboxModel.describeCount(total, listed)).isEqualTo(text);
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
    void mailboxShowsWhatArrivedBeforeARestart() throws Exception {
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(tempDir), ConsoleServices.Options.console())) {
            deliver(services.sink().orElseThrow(), "ann@example.com", "kept");
        }
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(tempDir), ConsoleServices.Options.console())) {
            MailboxModel reopened = new MailboxModel(services.sink(), Optional.empty(), TaskRunner.direct(), refresher,
                    Runnable::run, ZoneId.systemDefault());

            reopened.refresh();

            assertThat(reopened.messages()).extracting(ReceivedMail::subject).containsExactly("kept");
        }
    }

    @Test
    void whatStartingTheSinkTookIsShownAndOtherwiseNothing() {
        MailboxModel moved = new MailboxModel(Optional.of(sink), Optional.of("The built-in sink's mailbox file was moved aside"),
                TaskRunner.direct(), refresher, Runnable::run, ZoneId.systemDefault());

        assertThat(moved.noticeProperty().get()).isEqualTo("The built-in sink's mailbox file was moved aside");
        assertThat(model.noticeProperty().get()).isEmpty();
    }

    @Test
    void withoutASinkNothingIsPolled() {
        MailboxModel noSink = new MailboxModel(Optional.empty(), Optional.empty(), TaskRunner.direct(), refresher, Runnable::run, ZoneId.systemDefault());

        noSink.startLive();
        noSink.refresh();

        assertThat(noSink.sinkAvailable()).isFalse();
        assertThat(noSink.messages()).isEmpty();
    }
}
