package dev.jobdeck.ui.settings;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.FxWaits;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.control.Label;
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

/** The Settings screen's Storage section, wired to a real console's store. */
@ExtendWith(ApplicationExtension.class)
class StorageSettingsFxTest {

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
    void theRetentionIsRefusedWhereTypedWhenOutOfRangeAndSavedWhenValid(FxRobot robot) {
        robot.clickOn("#navSettings");
        Label size = robot.lookup("#settingsStoreSize").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> size.getText().endsWith(" MB"));
        TextField retention = robot.lookup("#settingsRetention").queryAs(TextField.class);
        assertThat(retention.getText()).isEqualTo("36h");

        robot.interact(() -> retention.setText("0"));
        robot.interact(() -> robot.lookup("#settingsSaveRetention").queryButton().fire());

        Label error = robot.lookup("#settingsRetentionError").queryAs(Label.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).contains("from 1m to 3650d");
        assertThat(services.forScreens().settings().retention().succeeded()).isEqualTo(Duration.ofHours(36));

        robot.interact(() -> retention.setText("7d"));
        robot.interact(() -> robot.lookup("#settingsSaveRetention").queryButton().fire());

        await().atMost(Duration.ofSeconds(10)).until(() -> services.forScreens().settings().retention().succeeded().equals(Duration.ofDays(7)));
        assertThat(error.isVisible()).isFalse();
    }

    @Test
    void theSectionSaysWhereTheStoreLivesAndTestsTheConnectionOffTheFxThread(FxRobot robot) {
        robot.clickOn("#navSettings");
        Label store = robot.lookup("#settingsStore").queryAs(Label.class);
        assertThat(store.getText()).isEqualTo("The database in " + services.directory().path());

        robot.interact(() -> robot.lookup("#settingsTestStore").queryButton().fire());

        Label result = robot.lookup("#settingsTestStoreResult").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> result.getText().startsWith("The embedded store answers in"));
        assertThat(result.getText()).contains("(H2 2.");
        assertThat(robot.lookup("#settingsTestStore").queryButton().isDisabled()).isFalse();
    }
}
