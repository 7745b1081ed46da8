package dev.jobdeck.testsupport;

import dev.jobdeck.core.ConsoleServices;
import javafx.scene.control.TextInputControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.jobdeck.testsupport.FxWaits.onFx;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link ConsoleFxTest}'s default: the console on services prepared before it shows, on a store removed after. */
class ConsoleFxTestTest extends ConsoleFxTest {

    private static final List<Path> FOLDERS = new CopyOnWriteArrayList<>();

    private boolean shownWhenPrepared = true;

    @Override
    protected void prepare(ConsoleServices opened) throws Exception {
        FOLDERS.add(store().folder());
        shownWhenPrepared = ui() != null;
        opened.parts().queue().queue(Consoles.email("ann@example.org, bob@example.org"));
    }

    @Test
    void theConsoleShowsItsFirstScreenAtTheDesignedSizeOnTheTestsStore(FxRobot robot) throws Exception {
        assertThat(shownWhenPrepared).as("prepared before the window showed").isFalse();
        assertThat(onFx(stage()::getTitle)).isEqualTo("JobDeck — " + services().directory().path());
        assertThat(onFx(() -> stage().getScene().getWidth())).isEqualTo(1280);
        assertThat(onFx(() -> stage().getScene().getHeight())).isEqualTo(800);
        assertThat(onFx(robot.lookup("#composeFrom").queryAs(TextInputControl.class)::isVisible)).isTrue();
    }

    @Test
    void theScreensShowWhatWasPrepared(FxRobot robot) {
        robot.clickOn("#navJobs");

        FxWaits.awaitText(robot, "#countEnqueued", "2");
    }

    @AfterAll
    static void everyStoreWasRemoved() {
        assertThat(FOLDERS).hasSize(2).allSatisfy(folder -> assertThat(Files.exists(folder)).as(folder + " removed").isFalse());
    }
}
