package dev.jobdeck.core.settings;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in sink across console restarts: same port, same mailbox, with the real H2 store. */
class BuiltInSinkTest {

    @TempDir
    Path temp;

    @Test
    void aMailboxFileThatCannotBeReadIsMovedAsideAndTheConsoleStartsWithAnEmptyOne() throws Exception {
        UUID queued;
        try (ConsoleServices first = Consoles.open(temp)) {
            LocalSmtpSink sink = first.sink().orElseThrow();
            first.parts().mailer().send(sink.settings(), EmailMessage.of("ops@jobdeck.dev", "ann@example.com", "Lost", "B"),
                    "<lost@jobdeck>");
            queued = first.parts().queue().queue(Consoles.email("later@example.org")).jobIds().get(0);
        }
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        Files.write(temp.resolve("sink-mailbox.mv.db"), garbage);

        try (ConsoleServices second = Consoles.open(temp)) {
            LocalSmtpSink sink = second.sink().orElseThrow();
            List<Path> aside;
            try (Stream<Path> files = Files.list(temp)) {
                aside = files.filter(file -> file.getFileName().toString().matches(
                        "sink-mailbox\\.damaged-\\d{8}-\\d{6}\\.mv\\.db")).toList();
            }
            assertThat(aside).singleElement().satisfies(file -> assertThat(Files.readAllBytes(file)).isEqualTo(garbage));
            assertThat(second.parts().sinkNotice()).hasValueSatisfying(notice -> assertThat(notice)
                    .contains("could not be read", aside.get(0).toString(), "Mailbox started empty"));
            assertThat(sink.messageCount()).isZero();
            assertThat(second.parts().engine().storage().getJobById(queued)).as("the jobs' store is another file").isNotNull();

            second.parts().mailer().send(sink.settings(), EmailMessage.of("ops@jobdeck.dev", "bob@example.com", "After", "B"),
                    "<after@jobdeck>");
            assertThat(sink.messages()).extracting(ReceivedMail::messageId).containsExactly("<after@jobdeck>");
        }
        try (ConsoleServices third = Consoles.open(temp)) {
            assertThat(third.parts().sinkNotice()).as("said once, for the start that moved it").isEmpty();
            assertThat(third.sink().orElseThrow().messageCount()).isEqualTo(1);
        }
    }

    @Test
    void sinkKeepsItsPortAndItsMailboxAcrossRestarts() throws Exception {
        int port;
        try (ConsoleServices first = Consoles.open(temp)) {
            LocalSmtpSink sink = first.sink().orElseThrow();
            port = sink.port();
            first.parts().mailer().send(sink.settings(), EmailMessage.of("ops@jobdeck.dev", "ann@example.com", "Before restart", "B"),
                    "<kept-1@jobdeck>");
        }

        try (ConsoleServices second = Consoles.open(temp)) {
            LocalSmtpSink sink = second.sink().orElseThrow();

            assertThat(sink.port()).isEqualTo(port);
            assertThat(sink.messages()).singleElement().satisfies(mail -> {
                assertThat(mail.subject()).isEqualTo("Before restart");
                assertThat(mail.messageId()).isEqualTo("<kept-1@jobdeck>");
                assertThat(mail.from()).isEqualTo("ops@jobdeck.dev");
                assertThat(mail.recipients()).isEqualTo("ann@example.com");
                assertThat(mail.sizeBytes()).isPositive();
            });
        }
    }

    @Test
    void takenPortIsReplacedByAFreeOneWhichIsRemembered() throws Exception {
        int oldPort;
        try (ConsoleServices first = Consoles.open(temp)) {
            oldPort = first.sink().orElseThrow().port();
        }
        int newPort;
        try (ServerSocket squatter = new ServerSocket(oldPort, 1, InetAddress.getLoopbackAddress());
             ConsoleServices second = Consoles.open(temp)) {
            newPort = second.sink().orElseThrow().port();
            assertThat(newPort).isNotEqualTo(oldPort);
            assertThat(squatter.isBound()).isTrue();
            assertThat(BuiltInSink.rememberedPort(new Settings(second.parts().database().dataSource()))).contains(newPort);
        }
        try (ConsoleServices third = Consoles.open(temp)) {
            assertThat(third.sink().orElseThrow().port()).isEqualTo(newPort);
        }
    }

    @Test
    void everyAcceptedMessageIsInTheTableWhenTheClientSeesTheReply() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            LocalSmtpSink sink = console.sink().orElseThrow();
            for (int i = 0; i < 5; i++) {
                console.parts().mailer().send(sink.settings(), EmailMessage.of("ops@jobdeck.dev", "ann@example.com", "N" + i, "B"),
                        "<n" + i + "@jobdeck>");
                // No waiting: the row is written before the sink answers 250, so it is there already.
                assertThat(sink.mailbox().countByMessageId("<n" + i + "@jobdeck>")).isEqualTo(1);
            }
            assertThat(sink.messages()).extracting(ReceivedMail::subject).containsExactly("N4", "N3", "N2", "N1", "N0");
        }
    }
}
