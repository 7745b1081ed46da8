package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.ui.fx.FilePicker;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.stage.Window;
import java.util.List;
import java.util.Optional;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.testsupport.Consoles;
import javafx.scene.control.TableView;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import dev.jobdeck.testsupport.FxWaits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;


import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.testsupport.RawMailbox;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.time.Duration;

import static dev.jobdeck.testsupport.FxWaits.awaitText;
import static dev.jobdeck.testsupport.FxWaits.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(ApplicationExtension.class)
class ComposeScreenFxTest {

    // Static: ApplicationExtension runs @Start before instance @TempDir fields are guaranteed to be set.
    @TempDir
    static Path tempRoot;

    private ConsoleServices services;
    private ConsoleUi ui;

    private final PickedFiles picked = new PickedFiles();

    /** Stands in for the OS's file dialogs, which cannot be driven headless: hands over the files a test chose. */
    private static final class PickedFiles implements FilePicker {

        volatile Path csv;
        volatile List<Path> attachments = List.of();

        @Override
        public Optional<Path> openCsv(Window owner) {
            return Optional.ofNullable(csv);
        }

        @Override
        public List<Path> openAttachments(Window owner) {
            return attachments;
        }
    }

    @BeforeAll
    static void ignoreOtherTestsBackgroundFailures() {
        FxWaits.failOnlyOnFxThreadExceptions();
    }

    @Start
    void start(Stage stage) throws Exception {
        services = ConsoleServices.open(new DataDirectory(Files.createTempDirectory(tempRoot, "data")),
                ConsoleServices.Options.console());
        services.startHost();
        services.forScreens().templates().save("Welcome", "Welcome, {{email}}", "<h1>Hello {{email}}</h1><p>Your account is ready.</p>",
                BodyFormat.HTML, "");
        ui = new ConsoleUi(services, picked);
        ui.show(stage);
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        ui.close();
        services.close();
    }

    @Test
    void composingToTwoRecipientsDeliversBothAndTheJobsScreenShowsThemSucceeded(FxRobot robot) throws Exception {
        robot.interact(() -> robot.lookup("#composeFrom").queryAs(TextInputControl.class).clear());
        robot.clickOn("#composeFrom").write("ops@example.com");
        robot.clickOn("#composeTo").write("ann@example.com, bob@example.com");
        robot.clickOn("#composeSubject").write("Hello from TestFX");

        assertThat(robot.lookup("#composeRecipientCount").queryAs(Label.class).getText()).isEqualTo("2 recipients");
        FxWaits.reveal(robot, "#composeSend");
        robot.clickOn("#composeSend");

        Label result = robot.lookup("#composeResult").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> result.getText().equals("Queued 2 e-mails as 2 jobs (enqueued now)"));
        assertThat(result.getStyleClass()).contains("banner-success");
        assertThat(services.forScreens().queries().counts().total()).isEqualTo(2);

        LocalSmtpSink sink = services.sink().orElseThrow();
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> sink.messageCount() == 2);
        assertThat(sink.messages()).extracting(ReceivedMail::to)
                .containsExactlyInAnyOrder("ann@example.com", "bob@example.com");

        robot.clickOn("#navJobs");
        awaitText(robot, "#countSucceeded", "2");
        TableView<JobRow> table = robot.lookup("#jobsTable").queryTableView();
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> onFx(() -> table.getItems().stream()
                .filter(row -> row.state() == JobState.SUCCEEDED).map(JobRow::recipient).sorted().toList()),
                recipients -> recipients.equals(java.util.List.of("ann@example.com", "bob@example.com")));
    }

    @Test
    void composingWithASavedTemplatePreviewsAndDeliversEachRecipientsMergedEmail(FxRobot robot) throws Exception {
        ComboBox<String> templates = robot.lookup("#composeTemplate").queryComboBox();
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> templates.getItems().contains("Welcome")));
        robot.clickOn("#composeTemplate");
        robot.clickOn("Welcome");
        robot.clickOn("#composeTo").write("ann@example.com\nbob@example.com");

        assertThat(robot.lookup("#composeSubject").queryAs(TextInputControl.class).getText()).isEqualTo("Welcome, {{email}}");
        assertThat(robot.lookup("#composeTextAlternativeHint").queryAs(Label.class).getText()).contains("derived from the HTML");
        Label previewSubject = robot.lookup("#composePreviewSubject").queryAs(Label.class);
        assertThat(previewSubject.getText()).isEqualTo("Welcome, ann@example.com");
        FxWaits.reveal(robot, "#composePreviewNext");
        robot.clickOn("#composePreviewNext");
        assertThat(previewSubject.getText()).isEqualTo("Welcome, bob@example.com");
        assertThat(robot.lookup("#composePreviewText").queryAs(TextInputControl.class).getText())
                .isEqualTo("Hello bob@example.com\n\nYour account is ready.");
        assertThat(robot.lookup("#composePreviewWeb").tryQuery()).isPresent();

        FxWaits.reveal(robot, "#composeSend");
        robot.clickOn("#composeSend");

        Label result = robot.lookup("#composeResult").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(result::getText).equals("Queued 2 e-mails as 2 jobs (enqueued now)"));
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> services.sink().orElseThrow().messageCount() == 2);
        MimeMessage bob = sinkMessage("bob@example.com");
        assertThat(bob.getSubject()).isEqualTo("Welcome, bob@example.com");
        MimeMultipart parts = (MimeMultipart) bob.getContent();
        assertThat((String) parts.getBodyPart(0).getContent()).isEqualToNormalizingNewlines("Hello bob@example.com\n\nYour account is ready.");
        assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<h1>Hello bob@example.com</h1><p>Your account is ready.</p>");
    }

    @Test
    void fieldTheRecipientsLackIsShownAtTheBodyAndNothingIsQueued(FxRobot robot) throws Exception {
        robot.clickOn("#composeTo").write("ann@example.com");
        robot.clickOn("#composeSubject").write("Hi");
        robot.clickOn("#composeBody").write("Dear {{first_name}},");

        FxWaits.reveal(robot, "#composeSend");
        robot.clickOn("#composeSend");

        Label error = robot.lookup("#composeBodyError").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(error::getText).contains("first_name"));
        assertThat(robot.lookup("#composePreviewProblem").queryAs(Label.class).getText()).contains("first_name");
        assertThat(services.forScreens().queries().counts().total()).isZero();
    }

    /** Issue 19: Clear asks first when the form holds something; Cancel keeps it all. */
    @Test
    void clearAsksBeforeEmptyingAFilledFormAndCancelKeepsIt(FxRobot robot) throws Exception {
        robot.clickOn("#composeTo").write("ann@example.com");
        robot.clickOn("#composeSubject").write("Hi");
        FxWaits.reveal(robot, "#composeClear");

        robot.clickOn("#composeClear");
        await().atMost(Duration.ofSeconds(10)).until(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        assertThat(onFx(dialog::getContentText)).isEqualTo(
                "Clear the form? To and Subject will be emptied; From stays. Nothing is queued or deleted.");
        robot.clickOn("Cancel");
        assertThat(onFx(() -> robot.lookup("#composeTo").queryAs(TextArea.class).getText())).isEqualTo("ann@example.com");

        robot.clickOn("#composeClear");
        await().atMost(Duration.ofSeconds(10)).until(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        robot.clickOn("OK");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                onFx(() -> robot.lookup("#composeTo").queryAs(TextArea.class).getText()).isEmpty());
        assertThat(onFx(() -> robot.lookup("#composeSubject").queryAs(TextField.class).getText())).isEmpty();
    }

    /** Issue 19: a bad address is marked under To as it is typed, not only when Queue is pressed. */
    @Test
    void aBadAddressIsMarkedUnderToAsItIsTypedAndThePreviewLeavesItOut(FxRobot robot) throws Exception {
        robot.clickOn("#composeTo").write("bob@@bad, carol@example.org, not-an-email");

        Label error = robot.lookup("#composeToError").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(error::getText).contains("\"bob@@bad\""));
        assertThat(onFx(error::isVisible)).isTrue();
        assertThat(error.getText()).contains("\"not-an-email\"");
        assertThat(robot.lookup("#composeRecipientCount").queryAs(Label.class).getText())
                .isEqualTo("1 recipient · 2 not valid");
        assertThat(robot.lookup("#composePreviewPosition").queryAs(Label.class).getText())
                .isEqualTo("Recipient 1 of 1: carol@example.org");
        assertThat(services.forScreens().queries().counts().total()).as("nothing queued by typing").isZero();
    }

    @Test
    void sendTestShowsTheServersReplyBesideTheButton(FxRobot robot) throws Exception {
        robot.clickOn("#composeTo").write("ann@example.com");
        robot.clickOn("#composeSubject").write("Check {{email}}");
        FxWaits.reveal(robot, "#composeTestSend");
        robot.clickOn("#composeTestSendTo").write("qa@example.com");
        robot.clickOn("#composeTestSend");

        Label result = robot.lookup("#composeTestSendResult").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(result::getText).startsWith("Sent to qa@example.com"));
        assertThat(result.getText()).contains("The server replied: 250");
        assertThat(result.getStyleClass()).contains("banner-success");
        assertThat(services.sink().orElseThrow().messages()).singleElement()
                .satisfies(m -> assertThat(m.subject()).isEqualTo("Check ann@example.com"));
        assertThat(services.forScreens().queries().counts().total()).isZero();
    }

    private MimeMessage sinkMessage(String to) throws Exception {
        try (Connection c = services.parts().sinkMailbox().orElseThrow().dataSource().getConnection();
             PreparedStatement q = c.prepareStatement("SELECT raw FROM jd_sink_message WHERE to_addr = ?")) {
            q.setString(1, to);
            try (ResultSet rows = q.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return RawMailbox.parse(rows.getBytes(1));
            }
        }
    }

    @Test
    void importingACsvWithABadRowQueuesOnlyTheValidRows(FxRobot robot) throws Exception {
        picked.csv = Files.writeString(tempRoot.resolve("people.csv"),
                "email,name\nann@example.com,Ann\nbob@,Bob\ncarol@example.com,Carol\n");
        FxWaits.reveal(robot, "#composeImportCsv");
        robot.clickOn("#composeImportCsv");

        awaitText(robot, "#composeCsvSummary", "2 valid · 1 invalid · 0 duplicates. Queues only the 2 valid rows;"
                + " invalid rows are skipped. Merge fields: email, name.");
        ListView<?> problems = robot.lookup("#composeCsvErrors").queryAs(ListView.class);
        assertThat(onFx(() -> problems.getItems().stream().map(Object::toString).toList())).containsExactly("line 3: \"bob@\": missing domain");
        assertThat(onFx(() -> robot.lookup("#composeTo").query().isVisible())).isFalse();
        assertThat(robot.lookup("#composeRecipientCount").queryAs(Label.class).getText()).isEqualTo("2 recipients from people.csv");

        FxWaits.reveal(robot, "#composeSubject");
        robot.clickOn("#composeSubject").write("Hello from a CSV");
        clickSend(robot);

        Label result = robot.lookup("#composeResult").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(result::getText).equals("Queued 2 e-mails as 2 jobs (enqueued now)"));
        LocalSmtpSink sink = services.sink().orElseThrow();
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> sink.messageCount() == 2);
        assertThat(sink.messages()).extracting(ReceivedMail::to)
                .containsExactlyInAnyOrder("ann@example.com", "carol@example.com");

        FxWaits.reveal(robot, "#composeClearCsv");
        robot.clickOn("#composeClearCsv");
        Node to = robot.lookup("#composeTo").query();
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(to::isVisible));
        assertThat(onFx(() -> robot.lookup("#composeCsvBox").query().isVisible())).isFalse();
    }

    @Test
    void anAttachmentThatVanishedBeforeQueueingIsReportedAtTheAttachmentsRowAndNothingIsQueued(FxRobot robot)
            throws Exception {
        Path notes = Files.writeString(tempRoot.resolve("notes.txt"), "hello");
        picked.attachments = List.of(notes);
        FxWaits.reveal(robot, "#composeAddAttachment");
        robot.clickOn("#composeAddAttachment");
        ListView<?> attachments = robot.lookup("#composeAttachments").queryAs(ListView.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> attachments.getItems().size()) == 1);
        awaitText(robot, "#composeAttachmentsTotal", "1 file, 5 bytes of 25 MiB.");

        Files.delete(notes);
        FxWaits.reveal(robot, "#composeTo");
        robot.clickOn("#composeTo").write("ann@example.com");
        FxWaits.reveal(robot, "#composeSubject");
        robot.clickOn("#composeSubject").write("With notes");
        clickSend(robot);

        awaitText(robot, "#composeAttachmentsError", "\"notes.txt\" is no longer at " + notes + ". Add it again or remove it.");
        awaitText(robot, "#composeResult", "Nothing was queued. Correct the fields marked in red.");
        assertThat(services.forScreens().queries().counts().total()).isZero();
    }

    /** The import box and the attachment list make the form taller than the window: scroll down to the button first. */
    private static void clickSend(FxRobot robot) {
        FxWaits.reveal(robot, "#composeSend");
        robot.clickOn("#composeSend");
    }
}
