package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableView;
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
import org.testfx.util.WaitForAsyncUtils;


import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(ApplicationExtension.class)
class MailboxScreenFxTest {

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
    void mailboxShowsMailArrivingWhileShownAndSettingsOpenOnTheSink(FxRobot robot) throws Exception {
        robot.clickOn("#navMailbox");
        var sink = services.sink().orElseThrow();
        services.forScreens().mailer().send(sink.settings(), EmailMessage.of("jobdeck@localhost", "ann@example.com", "Live", "Body"),
                "<live-1@jobdeck>");

        TableView<?> table = robot.lookup("#mailboxTable").queryAs(TableView.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> table.getItems().size() == 1);
        assertThat(robot.lookup("#mailboxCount").queryAs(Label.class).getText()).isEqualTo("1 message");

        robot.clickOn("#navSettings");
        RadioButton useSink = robot.lookup("#settingsUseSink").queryAs(RadioButton.class);
        assertThat(useSink.isSelected()).isTrue();
        assertThat(useSink.getText()).isEqualTo("Built-in SMTP sink (127.0.0.1:" + sink.port() + ")");
    }

    @Test
    void faultControlsChangeTheSinkAndShowWhatIsInForce(FxRobot robot) throws Exception {
        robot.clickOn("#navMailbox");
        var sink = services.sink().orElseThrow();
        int port = sink.port();

        double applyAt = sceneY(robot, "#faultApply");
        double hangAt = sceneY(robot, "#faultHang");
        robot.doubleClickOn("#faultFailPercent").write("150").clickOn("#faultApply");
        assertThat(sceneY(robot, "#faultApply")).as("Apply stays under the pointer when a message shows").isEqualTo(applyAt);
        Label percentError = robot.lookup("#faultFailPercentError").queryAs(Label.class);
        assertThat(percentError.isVisible()).isTrue();
        assertThat(percentError.getText()).contains("0 to 100");
        assertThat(sink.faults().snapshot().failPercent()).isZero();

        robot.doubleClickOn("#faultFailPercent").write("40").clickOn("#faultApply");
        assertThat(sink.faults().snapshot().failPercent()).isEqualTo(40);
        assertThat(robot.lookup("#faultSummary").queryAs(Label.class).getText()).contains("40 % of messages get 451");

        robot.clickOn("#faultHang");
        assertThat(sink.faults().snapshot().hanging()).isTrue();

        robot.clickOn("#sinkDown");
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.isRunning());
        await().atMost(Duration.ofSeconds(5)).until(() -> robot.lookup("#sinkState").queryAs(Label.class).getText()
                .equals("Down: connections to 127.0.0.1:" + port + " are refused"));
        await().atMost(Duration.ofSeconds(5)).until(() -> robot.lookup("#smtpStatus").tryQueryAs(Label.class)
                .map(Label::getText).orElse("").endsWith("(down; bring it back up on the Mailbox screen)"));

        robot.doubleClickOn("#faultLatency").write("250").clickOn("#faultApply");
        assertThat(robot.lookup("#faultSummary").queryAs(Label.class).getText()).as("four faults in force")
                .contains("the sink is down").contains("40 %").contains("250 ms").contains("hanging");
        assertThat(sceneY(robot, "#faultApply")).as("Apply stays put as the summary grows").isEqualTo(applyAt);
        assertThat(sceneY(robot, "#faultHang")).as("so do the controls below it").isEqualTo(hangAt);

        robot.clickOn("#sinkDown");
        await().atMost(Duration.ofSeconds(10)).until(sink::isRunning);
        assertThat(sink.port()).isEqualTo(port);
    }

    /** Where a control is in the window, from the JavaFX thread once it has laid out. */
    private static double sceneY(FxRobot robot, String query) throws Exception {
        javafx.scene.Node node = robot.lookup(query).query();
        WaitForAsyncUtils.waitForFxEvents();
        return FxWaits.onFx(() -> node.localToScene(node.getLayoutBounds()).getMinY());
    }
}
