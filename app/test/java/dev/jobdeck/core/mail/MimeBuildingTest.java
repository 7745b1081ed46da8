package dev.jobdeck.core.mail;

import dev.jobdeck.testsupport.RawMailbox;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What the Mailer puts on the wire, read back from a real SMTP server (the sink) as raw MIME. */
class MimeBuildingTest {

    private static final String MESSAGE_ID = "<mime-1@jobdeck>";
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?[^?]+\\?[BQbq]\\?[^?]*\\?=");

    private final Mailer mailer = new Mailer();
    private final RawMailbox mailbox = new RawMailbox();
    private LocalSmtpSink sink;

    @BeforeEach
    void start() {
        sink = new LocalSmtpSink(0, mailbox).start();
    }

    @AfterEach
    void stop() {
        sink.close();
    }

    @Test
    void htmlGoesOutAsMultipartAlternativeWithTheTextPartFirst() throws Exception {
        mailer.send(sink.settings(), EmailMessage.html("ops@x.test", "ann@x.test", "Hi", "<p>Hi <b>Ann</b></p>", "Hi Ann"),
                MESSAGE_ID);

        MimeMessage received = mailbox.single();
        assertThat(received.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Hi Ann");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html").containsIgnoringCase("charset=UTF-8");
        assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<p>Hi <b>Ann</b></p>");
    }

    @Test
    void htmlWithoutATextPartGetsOneDerivedFromIt() throws Exception {
        mailer.send(sink.settings(), EmailMessage.html("ops@x.test", "ann@x.test", "Hi", "<p>One</p><p>Two</p>", ""), MESSAGE_ID);

        MimeMultipart parts = (MimeMultipart) mailbox.single().getContent();
        assertThat((String) parts.getBodyPart(0).getContent()).isEqualToNormalizingNewlines("One\n\nTwo");
    }

    @Test
    void plainTextStaysASinglePart() throws Exception {
        mailer.send(sink.settings(), EmailMessage.of("ops@x.test", "ann@x.test", "Hi", "Just text"), MESSAGE_ID);

        MimeMessage received = mailbox.single();
        assertThat(received.getContentType()).startsWith("text/plain");
        assertThat(received.getContent()).isEqualTo("Just text");
    }

    /**
     * Jakarta Mail already does RFC 2047 for us: a non-ASCII subject becomes encoded-words of at most 75
     * characters, folded onto lines of at most 76, and an ASCII one is folded at white space. Either way the
     * subject arrives whole.
     */
    @ParameterizedTest(name = "{index}")
    @ValueSource(strings = {"Grüße aus Köln – ", "Quarterly report for the whole operations team "})
    void longSubjectIsEncodedAndFoldedAndArrivesWhole(String phrase) throws Exception {
        String subject = phrase.repeat(998 / phrase.length()).strip();
        assertThat(subject.length()).isBetween(900, 998);

        mailer.send(sink.settings(), EmailMessage.of("ops@x.test", "ann@x.test", subject, "b"), MESSAGE_ID);

        String raw = new String(mailbox.raws().get(0), StandardCharsets.US_ASCII);
        String header = rawHeader(raw, "Subject");
        List<String> lines = header.lines().toList();
        assertThat(lines).hasSizeGreaterThan(10).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(header).isEqualTo(new String(header.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII));
        boolean ascii = subject.chars().allMatch(c -> c < 128);
        Matcher words = ENCODED_WORD.matcher(header);
        int count = 0;
        while (words.find()) {
            count++;
            assertThat(words.group().length()).isLessThanOrEqualTo(75);
        }
        assertThat(count > 0).isEqualTo(!ascii);
        assertThat(MimeUtility.decodeText(MimeUtility.unfold(header.substring("Subject: ".length())))).isEqualTo(subject);
        assertThat(mailbox.single().getSubject()).isEqualTo(subject);
    }

    private static String rawHeader(String raw, String name) {
        StringBuilder header = new StringBuilder();
        boolean inside = false;
        for (String line : raw.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.startsWith(name + ":")) {
                inside = true;
            } else if (inside && !(line.startsWith(" ") || line.startsWith("\t"))) {
                break;
            }
            if (inside) {
                header.append(header.length() > 0 ? "\n" : "").append(line);
            }
        }
        return header.toString();
    }
}
