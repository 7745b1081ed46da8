package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.testsupport.ConsoleStore;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.RawMailbox;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates through the whole path: merged per recipient into the outbox, delivered by JobRunr, read at the sink. */
@ConsoleStore
class TemplatedDeliveryTest {

    private ConsoleServices services;

    @BeforeEach
    void open(ConsoleServices services) {
        this.services = services;
    }

    @Test
    void eachRecipientsRowHoldsWhatWasSentToThemAndArrivesAsMultipartAlternative() throws Exception {
        SendRequest request = new SendRequest("ops@jobdeck.test", "ann@example.org, bob@example.org", "", "",
                "Welcome, {{email}}", "<h1>Hi {{email}}</h1><p>Tom &amp; Jerry</p>", When.now(), BodyFormat.HTML, "", "Welcome");

        QueueResult queued = services.parts().queue().queue(request);
        services.startHost();
        queued.jobIds().forEach(id -> awaitState(services, id, StateName.SUCCEEDED));

        OutboxEmail bob = queued.jobIds().stream().map(this::row).filter(r -> r.to().equals("bob@example.org")).findFirst().orElseThrow();
        assertThat(bob.subject()).isEqualTo("Welcome, bob@example.org");
        assertThat(bob.body()).isEqualTo("<h1>Hi bob@example.org</h1><p>Tom &amp; Jerry</p>");
        assertThat(bob.format()).isEqualTo(BodyFormat.HTML);
        assertThat(bob.textAlternative()).isEqualTo("Hi bob@example.org\n\nTom & Jerry");
        assertThat(bob.templateName()).isEqualTo("Welcome");

        MimeMessage received = sinkMessages().stream().filter(m -> subjectOf(m).equals("Welcome, bob@example.org"))
                .findFirst().orElseThrow();
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(received.getContentType()).startsWith("multipart/alternative");
        assertThat((String) parts.getBodyPart(0).getContent()).isEqualToNormalizingNewlines(bob.textAlternative());
        assertThat(parts.getBodyPart(1).getContent()).isEqualTo(bob.body());
    }

    @Test
    void templateWithAFieldTheRecipientsLackQueuesNothing() throws Exception {
        SendRequest request = new SendRequest("ops@jobdeck.test", "ann@example.org", "", "", "Hi", "Dear {{first_name}},",
                When.now());

        assertThatThrownBy(() -> services.parts().queue().queue(request)).isInstanceOfSatisfying(InvalidSendRequestException.class,
                e -> assertThat(e.problems().get(Field.BODY)).contains("first_name"));
        assertThat(countRows("jd_email")).isZero();
        assertThat(Consoles.total(services)).isZero();
    }

    @Test
    void aRecurringRunKeepsItsTemplatesFormatTextPartAndName() {
        OutboxEmail template = new OutboxEmail(UUID.randomUUID(), OutboxEmail.Kind.RECURRING_TEMPLATE, null, "r", null,
                "a@x.test", "b@x.test", "", "", "S", "<p>x</p>", Instant.EPOCH, BodyFormat.HTML, "x", "Weekly");

        OutboxEmail run = template.runOf(UUID.randomUUID(), Instant.now());

        assertThat(run.format()).isEqualTo(BodyFormat.HTML);
        assertThat(run.textAlternative()).isEqualTo("x");
        assertThat(run.templateName()).isEqualTo("Weekly");
    }

    private OutboxEmail row(UUID jobId) {
        try {
            return services.parts().outbox().findByJobId(jobId).orElseThrow();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subjectOf(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<MimeMessage> sinkMessages() throws Exception {
        List<MimeMessage> messages = new ArrayList<>();
        try (Connection c = services.parts().sinkMailbox().orElseThrow().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT raw FROM jd_sink_message")) {
            while (rows.next()) {
                messages.add(RawMailbox.parse(rows.getBytes(1)));
            }
        }
        return messages;
    }

    private long countRows(String table) throws Exception {
        try (Connection c = services.parts().database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
