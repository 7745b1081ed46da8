package dev.jobdeck.ui.compose;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.control.Label;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(ApplicationExtension.class)
class ComposeScreenFxTest {

    // Static: ApplicationExtension runs @Start before instance @TempDir fields are guaranteed to be set.
    @TempDir
    static Path tempRoot;

    private ConsoleServices services;
    private ConsoleUi ui;

    @Start
    void start(Stage stage) throws Exception {
        services = ConsoleServices.open(new DataDirectory(Files.createTempDirectory(tempRoot, "data")),
                ConsoleServices.Options.console());
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
    void sendingTwoRecipientsShowsTheQueuedBanner(FxRobot robot) throws Exception {
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
    }
}
