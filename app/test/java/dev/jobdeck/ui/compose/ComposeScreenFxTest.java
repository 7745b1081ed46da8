package dev.jobdeck.ui.compose;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.testsupport.Consoles;
import javafx.scene.control.TableView;
import org.jobrunr.jobs.states.StateName;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.control.Label;
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


import java.nio.file.Files;
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

    @BeforeAll
    static void ignoreOtherTestsBackgroundFailures() {
        FxWaits.failOnlyOnFxThreadExceptions();
    }

    @Start
    void start(Stage stage) throws Exception {
        services = ConsoleServices.open(new DataDirectory(Files.createTempDirectory(tempRoot, "data")),
                ConsoleServices.Options.console());
        services.startHost();
        ui = new ConsoleUi(services);
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
        robot.clickOn("#composeSend");

        Label result = robot.lookup("#composeResult").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> result.getText().equals("Queued 2 e-mails as 2 jobs (enqueued now)"));
        assertThat(result.getStyleClass()).contains("banner-success");
        assertThat(services.queries().counts().total()).isEqualTo(2);

        LocalSmtpSink sink = services.sink().orElseThrow();
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> sink.messageCount() == 2);
        assertThat(sink.messages()).extracting(ReceivedMail::to)
                .containsExactlyInAnyOrder("ann@example.com", "bob@example.com");

        robot.clickOn("#navJobs");
        awaitText(robot, "#countSucceeded", "2");
        TableView<JobRow> table = robot.lookup("#jobsTable").queryTableView();
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> onFx(() -> table.getItems().stream()
                .filter(row -> row.state() == StateName.SUCCEEDED).map(JobRow::recipient).sorted().toList()),
                recipients -> recipients.equals(java.util.List.of("ann@example.com", "bob@example.com")));
    }
}
