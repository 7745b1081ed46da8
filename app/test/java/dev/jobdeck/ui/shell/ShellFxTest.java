package dev.jobdeck.ui.shell;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.FxWaits;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.control.Label;
import javafx.scene.control.TextInputControl;
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

import static dev.jobdeck.testsupport.FxWaits.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The window before its services are open: the shell says it is opening, and takes the screens when they are. */
@ExtendWith(ApplicationExtension.class)
class ShellFxTest {

    // Static: ApplicationExtension runs @Start before instance @TempDir fields are guaranteed to be set.
    @TempDir
    static Path tempRoot;

    private Path dataDir;
    private Stage stage;
    private ConsoleUi ui;
    private ConsoleServices services;

    @BeforeAll
    static void ignoreOtherTestsBackgroundFailures() {
        FxWaits.failOnlyOnFxThreadExceptions();
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        dataDir = Files.createTempDirectory(tempRoot, "data");
        ui = new ConsoleUi(dataDir);
        ui.show(stage);
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        ui.close();
        if (services != null) {
            services.close();
        }
    }

    @Test
    void beforeTheServicesAreOpenTheWindowSaysWhichStoreItIsOpeningAndHasNoScreen(FxRobot robot) {
        assertThat(robot.lookup("#openingMessage").queryAs(Label.class).getText())
                .isEqualTo("Opening the store at " + dataDir + "…");
        assertThat(stage.getTitle()).isEqualTo("JobDeck — " + dataDir + " (opening…)");
        assertThat(robot.lookup("#composeFrom").tryQuery()).isEmpty();
    }

    @Test
    void whileTheStoreCannotTakeWritesABannerAcrossTheTopSaysWhy(FxRobot robot) throws Exception {
        // A reserve larger than any disk: the store's disk counts as full from the first check (decision 21).
        System.setProperty("jobdeck.diskReserveMb", "100000000");
        try {
            services = ConsoleServices.open(new DataDirectory(dataDir), ConsoleServices.Options.console());
        } finally {
            System.clearProperty("jobdeck.diskReserveMb");
        }
        services.startHost();
        robot.interact(() -> ui.attach(services));

        Label banner = robot.lookup("#storeHealthBanner").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(banner::isVisible));
        assertThat(onFx(banner::getText)).contains("The store cannot take writes")
                .contains("The disk holding " + dataDir + " is nearly full").contains("nothing accepted is lost");
        Label host = robot.lookup("#hostStatus").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(host::getText).contains("paused: the store cannot take writes"));
    }

    @Test
    void aWellStoreShowsNoBanner(FxRobot robot) throws Exception {
        services = ConsoleServices.open(new DataDirectory(dataDir), ConsoleServices.Options.console());
        robot.interact(() -> ui.attach(services));

        assertThat(onFx(robot.lookup("#storeHealthBanner").queryAs(Label.class)::isVisible)).isFalse();
    }

    @Test
    void onceAttachedTheScreenChosenWhileOpeningShowsAndTheTitleIsPlain(FxRobot robot) throws Exception {
        robot.clickOn("#navMailbox");
        services = ConsoleServices.open(new DataDirectory(dataDir), ConsoleServices.Options.console());

        robot.interact(() -> ui.attach(services));

        assertThat(robot.lookup("#openingMessage").tryQuery()).isEmpty();
        assertThat(robot.lookup("#mailboxRoot").tryQuery()).isPresent();
        assertThat(onFx(stage::getTitle)).isEqualTo("JobDeck — " + dataDir);
        robot.clickOn("#navCompose");
        assertThat(robot.lookup("#composeFrom").queryAs(TextInputControl.class).isVisible()).isTrue();
    }

    @Test
    void whenOpeningFailsTheWindowSaysWhy(FxRobot robot) throws Exception {
        robot.interact(() -> ui.openingFailed("The data directory " + dataDir + " is in use by console (pid 42)."));

        assertThat(robot.lookup("#openingMessage").queryAs(Label.class).getText())
                .contains("cannot open its data directory").contains("in use by console (pid 42)");
        assertThat(onFx(stage::getTitle)).endsWith("(cannot open)");
    }
}
