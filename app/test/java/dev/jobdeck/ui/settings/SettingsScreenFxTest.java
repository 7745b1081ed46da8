package dev.jobdeck.ui.settings;

import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.testsupport.ConsoleFxTest;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Settings screen composes its sections with fx:include; each is built by the controller factory and bound. */
class SettingsScreenFxTest extends ConsoleFxTest {

    @Test
    void everySectionIsShownWithWhatIsInForceAndABadDeliveryValueIsRefusedBesideItsField(FxRobot robot) {
        robot.clickOn("#navSettings");

        RadioButton useSink = robot.lookup("#settingsUseSink").queryAs(RadioButton.class);
        assertThat(useSink.isSelected()).isTrue();
        assertThat(useSink.getText()).isEqualTo("Built-in SMTP sink (127.0.0.1:" + services().sink().orElseThrow().port() + ")");
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
        assertThat(services().forScreens().settings().lastDelivery()).isEqualTo(DeliverySettings.defaults());
    }
}
