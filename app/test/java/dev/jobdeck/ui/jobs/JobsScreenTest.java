package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.jobs.RecurringEmail;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
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


import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.jobdeck.testsupport.FxWaits.awaitText;
import static dev.jobdeck.testsupport.FxWaits.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(ApplicationExtension.class)
class JobsScreenTest {

    @TempDir
    Path tempDir;

    private ConsoleServices services;
    private ConsoleUi ui;

    @BeforeAll
    static void ignoreOtherTestsBackgroundFailures() {
        FxWaits.failOnlyOnFxThreadExceptions();
    }

    @Start
    void start(Stage stage) throws Exception {
        services = ConsoleServices.open(new DataDirectory(tempDir), ConsoleServices.Options.console());
        services.sink().orElseThrow().rejectRecipient("c@y.org", 550, "mailbox unavailable");
        services.forScreens().queue().queue(new SendRequest("a@x.org", "b@y.org, c@y.org", "", "", "Hi", "Body", When.now()));
        ui = new ConsoleUi(services);
        ui.show(stage);
    }

    @AfterEach
    void stop() throws Exception {
        FxToolkit.hideStage();
        ui.close();
        services.close();
    }

    @Test
    void failedJobIsRequeuedWhenRetryClicked(FxRobot robot) throws Exception {
        robot.clickOn("#navJobs");

        awaitText(robot, "#countEnqueued", "2");
        TableView<JobRow> table = robot.lookup("#jobsTable").queryTableView();
        assertThat(onFx(() -> table.getItems().stream().map(JobRow::recipient).toList()))
                .containsExactlyInAnyOrder("b@y.org", "c@y.org");

        services.startHost();
        awaitText(robot, "#countFailed", "1");
        awaitText(robot, "#countSucceeded", "1");
        services.sink().orElseThrow().clearRejections();

        robot.clickOn(robot.lookup(".table-cell").match((TableCell<?, ?> cell) -> "c@y.org".equals(cell.getText()))
                .queryAs(TableCell.class));
        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> !robot.lookup("#retrySelected").queryButton().isDisabled()));
        robot.clickOn("#retrySelected");

        awaitText(robot, "#jobsMessage", "Requeued 1 job");
        awaitText(robot, "#countSucceeded", "2");
        assertThat(onFx(() -> table.getSelectionModel().getSelectedItem().recipient())).isEqualTo("c@y.org");
    }

    @Test
    void selectingAFailedJobShowsItsDetailWithTheRejectingAttempt(FxRobot robot) throws Exception {
        robot.clickOn("#navJobs");
        services.startHost();
        awaitText(robot, "#countFailed", "1");

        // The live read may replace the rows between the lookup and the click; a click that lands on a replaced row
        // selects nothing, so click again until the detail follows the selection.
        Label title = robot.lookup("#detailTitle").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!onFx(title::getText).equals("Failed \u00b7 c@y.org")) {
                robot.clickOn(robot.lookup(".table-cell").match((TableCell<?, ?> cell) -> "c@y.org".equals(cell.getText()))
                        .queryAs(TableCell.class));
            }
            return onFx(title::getText).equals("Failed \u00b7 c@y.org");
        });
        TableView<DeliveryAttempt> attempts = robot.lookup("#attemptsTable").queryTableView();
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> attempts.getItems().stream()
                .anyMatch(attempt -> Integer.valueOf(550).equals(attempt.smtpCode()))));
        assertThat(onFx(() -> robot.lookup("#retryJob").queryButton().isDisabled())).isFalse();
    }

    @Test
    void theRecurringTabListsTheRecurringEmails(FxRobot robot) throws Exception {
        services.forScreens().queue().queue(new SendRequest("a@x.org", "weekly@y.org", "", "", "Weekly", "Body",
                new When.Cron("0 9 * * MON")));
        robot.clickOn("#navJobs");
        robot.clickOn(robot.lookup(".tab-label").match((javafx.scene.control.Label label) ->
                "Recurring".equals(label.getText())).queryAs(javafx.scene.control.Label.class));

        TableView<RecurringEmail> recurring = robot.lookup("#recurringTable").queryTableView();
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> recurring.getItems().stream()
                .map(RecurringEmail::recipient).toList()).equals(List.of("weekly@y.org")));
        assertThat(onFx(() -> robot.lookup("#triggerNow").queryButton().isDisabled())).isTrue();
    }

    @Test
    void searchFieldFindsJobsAndSaysSoWhenNothingMatches(FxRobot robot) {
        robot.clickOn("#navJobs");
        awaitText(robot, "#countEnqueued", "2");
        TableView<JobRow> table = robot.lookup("#jobsTable").queryTableView();

        robot.clickOn("#searchField").write("C@Y");
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> table.getItems().stream().map(JobRow::recipient)
                .toList()).equals(java.util.List.of("c@y.org")));

        javafx.scene.control.TextField field = robot.lookup("#searchField").queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> field.setText("nobody@nowhere.example"));
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> table.getItems().isEmpty()));
        awaitText(robot, "#jobsEmpty", "No jobs match \u201cnobody@nowhere.example\u201d. Search by an address or its"
                + " start, @domain, words of a subject or an error reply, or a job id.");
    }

    @Test
    void clickingTheStateHeaderOrdersTheJobsByState(FxRobot robot) throws Exception {
        robot.clickOn("#navJobs");
        awaitText(robot, "#countEnqueued", "2");
        services.startHost();
        awaitText(robot, "#countFailed", "1");
        awaitText(robot, "#countSucceeded", "1");
        TableView<JobRow> table = robot.lookup("#jobsTable").queryTableView();

        robot.clickOn(robot.lookup(".column-header .label").match((javafx.scene.control.Label label) ->
                "State".equals(label.getText())).queryAs(javafx.scene.control.Label.class));

        // Ascending by state name: Failed before Succeeded, whatever was updated last.
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> table.getItems().stream().map(JobRow::recipient)
                .toList()).equals(java.util.List.of("c@y.org", "b@y.org")));
    }

    @Test
    void clickingTheRecipientHeaderOrdersByRecipientAndAgainReverses(FxRobot robot) throws Exception {
        robot.clickOn("#navJobs");
        awaitText(robot, "#countEnqueued", "2");
        TableView<JobRow> table = robot.lookup("#jobsTable").queryTableView();
        // The table's own header: the Recipients tab below has a "Recipient" column too.
        javafx.scene.control.Label header = robot.from(table).lookup(".column-header .label").match(
                (javafx.scene.control.Label label) -> "Recipient".equals(label.getText()))
                .queryAs(javafx.scene.control.Label.class);

        robot.clickOn(header);
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> table.getItems().stream().map(JobRow::recipient)
                .toList()).equals(java.util.List.of("b@y.org", "c@y.org")));
        robot.clickOn(header);

        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> table.getItems().stream().map(JobRow::recipient)
                .toList()).equals(java.util.List.of("c@y.org", "b@y.org")));
        assertThat(onFx(() -> table.getSortOrder().get(0).getText() + " " + table.getSortOrder().get(0).getSortType()))
                .isEqualTo("Recipient DESCENDING");
    }

    @Test
    void ctrlFGoesToTheSearchBox(FxRobot robot) throws Exception {
        robot.clickOn("#navJobs");
        javafx.scene.control.TextField field = robot.lookup("#searchField").queryAs(javafx.scene.control.TextField.class);
        robot.clickOn("#jobsTable");
        assertThat(onFx(field::isFocused)).isFalse();

        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.F)
                .release(javafx.scene.input.KeyCode.F, javafx.scene.input.KeyCode.CONTROL);

        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(field::isFocused));
    }
    @Test
    void aMillionJobsInEveryStateShowWholeInTheCards(FxRobot robot) throws Exception {
        robot.clickOn("#navJobs");
        List<javafx.scene.control.Label> counts = robot.lookup(".state-count").queryAllAs(javafx.scene.control.Label.class)
                .stream().toList();
        assertThat(counts).hasSize(6);

        robot.interact(() -> counts.forEach(label -> {
            label.textProperty().unbind();
            label.setText("1,000,000");
        }));
        WaitForAsyncUtils.waitForFxEvents();

        // Cut text would show as "1,000,..." (a label narrower than its text).
        assertThat(onFx(() -> counts.stream().filter(label -> label.getWidth() < label.prefWidth(-1)).count())).isZero();
    }
}
