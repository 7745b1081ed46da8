package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.Attachment;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.testsupport.Consoles;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Attachments on the whole path: file → jd_attachment → JobRunr job → Angus Mail → the GreenMail sink. */
class AttachmentDeliveryTest {

    @TempDir
    Path temp;

    private ConsoleServices services;

    @AfterEach
    void close() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void attachmentIsStoredOnceAndArrivesIntactForEveryRecipientWithItsNonAsciiName() throws Exception {
        services = Consoles.open(temp.resolve("data"));
        byte[] content = new byte[100 * 1024];
        new Random(42).nextBytes(content);
        Path file = temp.resolve("Bericht Müller.pdf");
        Files.write(file, content);

        QueueResult result = services.parts().queue().queue(withAttachments("ann@example.org, bob@example.org",
                AttachmentFile.inspect(file)));
        // The jobs read the outbox, not the disk: the picked file may go once the e-mails are queued.
        Files.delete(file);
        assertThat(count("SELECT COUNT(*) FROM jd_attachment")).isEqualTo(1);

        services.startHost();
        result.jobIds().forEach(id -> awaitState(services, id, StateName.SUCCEEDED));

        for (UUID jobId : result.jobIds()) {
            byte[] raw = rawMessage(MessageIds.forJob(jobId));
            String headers = new String(raw, StandardCharsets.US_ASCII);
            assertThat(headers).contains("filename*=UTF-8''Bericht%20M%C3%BCller.pdf");
            MimeMessage received = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
            MimeMultipart parts = (MimeMultipart) received.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Body text");
            Part attached = parts.getBodyPart(1);
            assertThat(attached.getDisposition()).isEqualTo(Part.ATTACHMENT);
            assertThat(attached.getFileName()).isEqualTo("Bericht Müller.pdf");
            assertThat(attached.getContentType()).startsWith("application/pdf");
            assertThat(attached.getInputStream().readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void attachmentRowMissingAtSendTimeFailsTheJobForGoodWithTheReason() throws Exception {
        services = Consoles.open(temp.resolve("data"));
        Path file = Files.writeString(temp.resolve("notes.txt"), "notes");
        UUID jobId = services.parts().queue().queue(withAttachments("ann@example.org", AttachmentFile.inspect(file))).jobIds().get(0);
        assertThat(update("DELETE FROM jd_attachment")).isEqualTo(1);

        services.startHost();
        awaitState(services, jobId, StateName.FAILED);

        JobDetail detail = services.parts().queries().detail(jobId).orElseThrow();
        assertThat(detail.lastFailure()).hasValueSatisfying(failure -> {
            assertThat(failure.willNotRetry()).isTrue();
            assertThat(failure.exceptionMessage()).contains("Attachment 1 of 1", "is no longer in the outbox");
        });
        assertThat(detail.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(DeliveryAttempt.Outcome.PERMANENT_FAILURE);
            assertThat(attempt.smtpReply()).contains("is no longer in the outbox");
        });
        assertThat(services.sink().orElseThrow().messageCount()).isZero();
    }

    @Test
    void aFileThatVanishedBeforeQueueingIsRefusedAtTheAttachmentsAndNothingIsQueued() throws Exception {
        services = Consoles.open(temp.resolve("data"));
        Path file = Files.writeString(temp.resolve("report.pdf"), "pdf");
        AttachmentFile picked = AttachmentFile.inspect(file);
        Files.delete(file);

        InvalidSendRequestException refused = catchThrowableOfType(InvalidSendRequestException.class,
                () -> services.parts().queue().queue(withAttachments("ann@example.org", picked)));

        assertThat(refused.problems()).containsOnlyKeys(SendRequest.Field.ATTACHMENTS);
        assertThat(refused.problems().get(SendRequest.Field.ATTACHMENTS))
                .isEqualTo("\"report.pdf\" is no longer at " + file + ". Add it again or remove it.");
        assertNothingQueued();
    }

    @Test
    void aFileOverTheLimitIsRefusedAndNothingIsQueued() throws Exception {
        services = Consoles.open(temp.resolve("data"));
        Path big = sparse("big.iso", Attachment.MAX_FILE_BYTES + 1);

        InvalidSendRequestException refused = catchThrowableOfType(InvalidSendRequestException.class,
                () -> services.parts().queue().queue(withAttachments("ann@example.org", AttachmentFile.inspect(big))));

        assertThat(refused.problems().get(SendRequest.Field.ATTACHMENTS))
                .isEqualTo("\"big.iso\" is 10.0 MiB, more than the 10 MiB allowed per file.");
        assertNothingQueued();
    }

    @Test
    void filesOverTheTotalLimitAreRefusedAndNothingIsQueued() throws Exception {
        services = Consoles.open(temp.resolve("data"));
        long nineMiB = 9L * 1024 * 1024;
        List<AttachmentFile> files = List.of(AttachmentFile.inspect(sparse("a.bin", nineMiB)),
                AttachmentFile.inspect(sparse("b.bin", nineMiB)), AttachmentFile.inspect(sparse("c.bin", nineMiB)));

        InvalidSendRequestException refused = catchThrowableOfType(InvalidSendRequestException.class,
                () -> services.parts().queue().queue(withAttachments("ann@example.org", files.toArray(AttachmentFile[]::new))));

        assertThat(refused.problems().get(SendRequest.Field.ATTACHMENTS))
                .isEqualTo("The attachments add up to 27 MiB, more than the 25 MiB allowed per e-mail.");
        assertNothingQueued();
    }

    private static SendRequest withAttachments(String to, AttachmentFile... files) {
        return new SendRequest("sender@jobdeck.test", to, "", "", "Hello", "Body text", When.now(), List.of(), List.of(files));
    }

    private Path sparse(String name, long size) throws Exception {
        Path file = temp.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        return file;
    }

    private void assertNothingQueued() throws Exception {
        assertThat(Consoles.total(services)).isZero();
        assertThat(count("SELECT COUNT(*) FROM jd_email")).isZero();
        assertThat(count("SELECT COUNT(*) FROM jd_attachment")).isZero();
    }

    private byte[] rawMessage(String messageId) throws Exception {
        try (Connection connection = services.parts().sinkMailbox().orElseThrow().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT raw FROM jd_sink_message WHERE message_id = ?")) {
            query.setString(1, messageId);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("a message with Message-ID " + messageId).isTrue();
                return rows.getBytes(1);
            }
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private int update(String sql) throws Exception {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }
}
