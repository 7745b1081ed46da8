package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.ConsoleFxTest;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.FailedJobs;
import dev.jobdeck.testsupport.FxWaits;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.ProgressBar;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.jobdeck.testsupport.FxWaits.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Act on all matching" on the Jobs screen (decision 27): confirm, progress, summary, and cancel halfway, on a real
 * store of 6,000 failed jobs (12 chunks) and two enqueued ones. No host runs, so requeued jobs stay enqueued.
 */
class BulkActionScreenTest extends ConsoleFxTest {

    private static final int FAILED = 6_000;
    private static final Pattern SUMMARY = Pattern.compile("([\\d,]+) jobs requeued of 6,000 matching; cancelled, ([\\d,]+)"
            + " jobs left untouched");

    private ConsoleServices services;

    /** Off the JavaFX thread and outside TestFX's set-up timeout: 6,000 jobs took over a minute on a loaded machine. */
    @Override
    protected void prepare(ConsoleServices opened) throws Exception {
        services = opened;
        FailedJobs.create(opened, FAILED, "example.org");
        opened.forScreens().queue().queue(Consoles.email("waiting@example.org, other@example.org"));
    }

    private static String text(FxRobot robot, String id) throws Exception {
        Label label = robot.lookup(id).queryAs(Label.class);
        return onFx(label::getText);
    }

    /** Shows the failed jobs, then picks "Retry" from the menu and waits for the confirmation. */
    private List<Double> askToRetryAllFailed(FxRobot robot) throws Exception {
        robot.clickOn("#navJobs");
        robot.clickOn("#cardFailed");
        MenuButton button = robot.lookup("#actOnAllMatching").queryAs(MenuButton.class);
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> onFx(button::getText), "Act on all 6,000 matching\u2026"::equals);
        List<Double> seen = new CopyOnWriteArrayList<>();
        ProgressBar bar = robot.lookup("#bulkProgress").queryAs(ProgressBar.class);
        robot.interact(() -> bar.progressProperty().addListener((obs, old, now) -> seen.add(now.doubleValue())));

        robot.clickOn("#actOnAllMatching");
        robot.clickOn("#retryAllMatching");
        await().atMost(Duration.ofSeconds(30)).until(() -> robot.lookup("#confirmBulkAction").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        assertThat(onFx(dialog::getHeaderText)).isEqualTo("Requeue 6,000 jobs?");
        assertThat(onFx(dialog::getContentText)).startsWith("All 6,000 jobs that match now: failed jobs.");
        return seen;
    }

    @Test
    void confirmedRetryShowsProgressThenTheSummaryWhileTheTableStaysLive(FxRobot robot) throws Exception {
        List<Double> seen = askToRetryAllFailed(robot);

        robot.clickOn("#confirmBulkAction");

        await().atMost(Consoles.JOB_TIMEOUT).until(() -> text(robot, "#bulkSummary"),
                summary -> summary.startsWith("6,000 jobs requeued of 6,000 matching."));
        assertThat(seen).as("the bar moved through the chunks").anyMatch(value -> value > 0 && value < 1);
        assertThat(services.parts().queries().counts().of(JobState.FAILED)).isZero();
        assertThat(services.parts().queries().counts().of(JobState.ENQUEUED)).isEqualTo(FAILED + 2);
        // The table refreshes on its own: the Failed tab is empty now.
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> text(robot, "#pageLabel"), "No jobs"::equals);
        assertThat(onFx(() -> robot.lookup("#bulkRunning").query().isVisible())).as("progress and cancel hide when done").isFalse();
    }

    @Test
    void cancelHalfwaySaysWhatWasDoneAndLeavesTheRestUntouched(FxRobot robot) throws Exception {
        List<Double> seen = askToRetryAllFailed(robot);
        robot.clickOn("#confirmBulkAction");
        await().atMost(Consoles.JOB_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> !seen.isEmpty()
                && seen.get(seen.size() - 1) > 0);

        robot.clickOn("#cancelBulkAction");

        await().atMost(Consoles.JOB_TIMEOUT).until(() -> text(robot, "#bulkSummary"), summary -> summary.contains("cancelled"));
        Matcher summary = SUMMARY.matcher(text(robot, "#bulkSummary"));
        assertThat(summary.find()).as(text(robot, "#bulkSummary")).isTrue();
        long requeued = Long.parseLong(summary.group(1).replace(",", ""));
        long left = Long.parseLong(summary.group(2).replace(",", ""));
        assertThat(left).as("cancelled halfway").isPositive();
        assertThat(requeued + left).isEqualTo(FAILED);
        assertThat(services.parts().queries().counts().of(JobState.FAILED)).isEqualTo(left);
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsSaidNextToItAndChangesNothing(FxRobot robot) throws Exception {
        robot.clickOn("#navJobs");
        FxWaits.awaitText(robot, "#pageLabel", "1\u201350 of 6,002");

        robot.clickOn("#rangeSince").write("1h");
        robot.clickOn("#rangeUntil").write("2h").type(javafx.scene.input.KeyCode.ENTER);

        FxWaits.awaitText(robot, "#rangeMessage",
                "The time range ends before it starts: until (2h) is not after since (1h).");
        assertThat(text(robot, "#pageLabel")).isEqualTo("1\u201350 of 6,002");

        robot.doubleClickOn("#rangeUntil").eraseText(2).type(javafx.scene.input.KeyCode.ENTER);
        FxWaits.awaitText(robot, "#rangeMessage", "");
        FxWaits.awaitText(robot, "#pageLabel", "1\u201350 of 6,002");
    }
}
