package dev.jobdeck.ui.shell;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.ConsoleFxTest;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.control.Label;
import javafx.scene.control.TextInputControl;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.nio.file.Path;
import java.time.Duration;

import static dev.jobdeck.testsupport.FxWaits.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The window before its services are open: the shell says it is opening, and takes the screens when they are. */
class ShellFxTest extends ConsoleFxTest {

    private Path dataDir;

    @Override
    protected boolean opensAtStart() {
        return false;
    }

    @Override
    protected ConsoleUi console() {
        dataDir = store().directory().path();
        return new ConsoleUi(dataDir);
    }

    @Test
    void beforeTheServicesAreOpenTheWindowSaysWhichStoreItIsOpeningAndHasNoScreen(FxRobot robot) {
        assertThat(robot.lookup("#openingMessage").queryAs(Label.class).getText())
                .isEqualTo("Opening the store at " + dataDir + "…");
        assertThat(stage().getTitle()).isEqualTo("JobDeck — " + dataDir + " (opening…)");
        assertThat(robot.lookup("#composeFrom").tryQuery()).isEmpty();
    }

    @Test
    void whileTheStoreCannotTakeWritesABannerAcrossTheTopSaysWhy(FxRobot robot) throws Exception {
        // A reserve larger than any disk: the store's disk counts as full from the first check (decision 21).
        System.setProperty("jobdeck.diskReserveMb", "100000000");
        ConsoleServices services;
        try {
            services = openServices();
        } finally {
            System.clearProperty("jobdeck.diskReserveMb");
        }
        services.startHost();
        robot.interact(() -> ui().attach(services));

        Label banner = robot.lookup("#storeHealthBanner").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(banner::isVisible));
        assertThat(onFx(banner::getText)).contains("The store cannot take writes")
                .contains("The disk holding " + dataDir + " is nearly full").contains("nothing accepted is lost");
        Label host = robot.lookup("#hostStatus").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(host::getText).contains("paused: the store cannot take writes"));
    }

    @Test
    void aWellStoreShowsNoBanner(FxRobot robot) throws Exception {
        ConsoleServices services = openServices();
        robot.interact(() -> ui().attach(services));

        assertThat(onFx(robot.lookup("#storeHealthBanner").queryAs(Label.class)::isVisible)).isFalse();
    }

    @Test
    void onceAttachedTheScreenChosenWhileOpeningShowsAndTheTitleIsPlain(FxRobot robot) throws Exception {
        robot.clickOn("#navMailbox");
        ConsoleServices services = openServices();

        robot.interact(() -> ui().attach(services));

        assertThat(robot.lookup("#openingMessage").tryQuery()).isEmpty();
        assertThat(robot.lookup("#mailboxRoot").tryQuery()).isPresent();
        assertThat(onFx(stage()::getTitle)).isEqualTo("JobDeck — " + dataDir);
        robot.clickOn("#navCompose");
        assertThat(robot.lookup("#composeFrom").queryAs(TextInputControl.class).isVisible()).isTrue();
    }

    @Test
    void whenOpeningFailsTheWindowSaysWhy(FxRobot robot) throws Exception {
        robot.interact(() -> ui().openingFailed("The data directory " + dataDir + " is in use by console (pid 42)."));

        assertThat(robot.lookup("#openingMessage").queryAs(Label.class).getText())
                .contains("cannot open its data directory").contains("in use by console (pid 42)");
        assertThat(onFx(stage()::getTitle)).endsWith("(cannot open)");
    }
}
