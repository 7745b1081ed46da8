package dev.jobdeck.ui.settings;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.FxWaits;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Settings screen composes its sections with fx:include; each is built by the controller factory and bound. */
@ExtendWith(ApplicationExtension.class)
class SettingsScreenFxTest {

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
    void everySectionIsShownWithWhatIsInForceAndABadDeliveryValueIsRefusedBesideItsField(FxRobot robot) {
        robot.clickOn("#navSettings");

        RadioButton useSink = robot.lookup("#settingsUseSink").queryAs(RadioButton.class);
        assertThat(useSink.isSelected()).isTrue();
        assertThat(useSink.getText()).isEqualTo("Built-in SMTP sink (127.0.0.1:" + services.sink().orElseThrow().port() + ")");
        Label schedule = robot.lookup("#retrySchedule").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> schedule.getText().contains("(10 in all)"));
        assertThat(robot.lookup("#settingsRetention").queryAs(TextField.class).getText()).isEqualTo("36h");
        TextField bulkSize = robot.lookup("#settingsBulkSize").queryAs(TextField.class);
        assertThat(bulkSize.getText()).isEqualTo("200");

        robot.interact(() -> bulkSize.setText("0"));
        robot.interact(() -> robot.lookup("#settingsSaveDelivery").queryButton().fire());

        Label error = robot.lookup("#settingsBulkSizeError").queryAs(Label.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).contains("must be a whole number");
        assertThat(services.lastDelivery()).isEqualTo(DeliverySettings.defaults());
    }
}
