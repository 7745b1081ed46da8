package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.ui.ConsoleUi;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import javafx.scene.control.DialogPane;
import javafx.application.Platform;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(ApplicationExtension.class)
class HostsScreenFxTest {

    private Stage stage;

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
        this.stage = stage;
        services = ConsoleServices.open(new DataDirectory(Files.createTempDirectory(tempRoot, "data")),
                ConsoleServices.Options.console());
        // No replacement after the crash: one worker JVM is all this test needs to start.
        services.forScreens().settings().updatePolicy(new HostPolicy(Duration.ofSeconds(5), 4, Duration.ofSeconds(30), false));
        ui = new ConsoleUi(services);
        ui.show(stage);
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        ui.close();
        services.close();
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    private static Optional<HostStatus> worker(TableView<HostStatus> table) {
        return table.getItems().stream().filter(host -> host.kind() == HostRecord.Kind.WORKER).findFirst();
    }

    @ChildProcesses
    @Test
    void aStartedWorkerAppearsAndCrashingItShowsInTheSurvivalReport(FxRobot robot) throws Exception {
        robot.clickOn("#navHosts");
        robot.interact(() -> robot.lookup("#workersEach").queryAs(TextField.class).setText("2"));
        robot.clickOn("#startHosts");

        TableView<HostStatus> table = robot.lookup("#hostsTable").queryTableView();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                onFx(() -> worker(table).map(host -> host.state() == HostStatus.State.RUNNING).orElse(false)));
        String name = onFx(() -> worker(table).orElseThrow().name());
        // Issue 19: closing the window while a worker this console started runs asks first; Cancel keeps it open.
        Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        await().atMost(Duration.ofSeconds(10)).until(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        assertThat(onFx(() -> robot.lookup(".dialog-pane").queryAs(DialogPane.class).getContentText()))
                .startsWith("Close JobDeck? The worker host this console started stops with it.");
        robot.clickOn("Cancel");
        assertThat(onFx(stage::isShowing)).as("Cancel keeps the console open").isTrue();

        // Visible cells only: the table keeps spare cells, hidden, that may still hold an old text.
        robot.clickOn(robot.lookup(".table-cell").match((TableCell<?, ?> cell) -> name.equals(cell.getText())
                && cell.isVisible() && cell.getTableRow() != null && cell.getTableRow().isVisible()).queryAs(TableCell.class));
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> !robot.lookup("#crashHost").queryButton().isDisabled()));
        robot.clickOn("#crashHost");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() ->
                onFx(() -> worker(table).map(host -> host.state() == HostStatus.State.DEAD).orElse(false)));
        assertThat(robot.lookup("#hostsMessage").queryAs(Label.class).getText())
                .startsWith("Crashed " + name + " with kill -9");

        robot.clickOn("Survival report");
        Node report = robot.lookup("#survivalReport").query();
        assertThat(onFx(report::isVisible)).isTrue();
        TableView<SurvivalReport.IncidentReport> incidents = robot.lookup("#incidentsTable").queryTableView();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> onFx(() ->
                incidents.getItems().stream().anyMatch(incident -> incident.host().equals(name)
                        && incident.action() == Incident.Action.CRASH)));
        assertThat(robot.lookup("#ledgerLost").queryAs(Label.class).getText()).isEqualTo("0");
    }
    @Test
    void aHostStartedElsewhereShowsItsMachineAndAddressAndDrainActsThroughTheStore(FxRobot robot) throws Exception {
        try (ConsoleServices elsewhere = ConsoleServices.open(services.directory(),
                ConsoleServices.Options.worker("worker-elsewhere", 2))) {
            java.util.UUID id = elsewhere.parts().engine().startServer();
            robot.clickOn("#navHosts");
            TableView<HostStatus> table = robot.lookup("#hostsTable").queryTableView();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> onFx(() ->
                    table.getItems().stream().anyMatch(host -> host.id().equals(id)
                            && host.state() == HostStatus.State.RUNNING)));
            String machine = services.parts().hosts().machine() + " (127.0.0.1)";
            assertThat(robot.lookup(".table-cell").match((TableCell<?, ?> cell) -> machine.equals(cell.getText())
                    && cell.isVisible()).tryQuery()).as("the Machine (address) column").isPresent();
            // Every column fits: the last one, the stop reason, ends inside the table (no column pushed off its edge).
            assertThat(onFx(() -> {
                javafx.scene.Node header = table.lookup(".column-header-background");
                double columns = table.getColumns().stream().mapToDouble(TableColumn::getWidth).sum();
                return columns <= header.getLayoutBounds().getWidth() + 1
                        && table.getColumns().stream().allMatch(column -> column.getWidth() >= column.getMinWidth() - 0.5);
            })).as("the columns fit the table's width, none squeezed below its minimum (clipped)").isTrue();

            robot.interact(() -> table.getSelectionModel().select(table.getItems().stream()
                    .filter(host -> host.id().equals(id)).findFirst().orElseThrow()));
            assertThat(onFx(() -> robot.lookup("#crashHost").queryButton().isDisabled())).as("not this console's").isTrue();
            robot.interact(() -> robot.lookup("#recycleDeadline").queryAs(TextField.class).setText("5"));
            await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> !robot.lookup("#drainHost").queryButton().isDisabled()));
            robot.clickOn("#drainHost");

            await().atMost(Duration.ofSeconds(30)).until(() -> !elsewhere.parts().engine().isServerRunning());
            assertThat(services.parts().hosts().find(id).orElseThrow().stopReason()).startsWith("drained on request of console");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> onFx(() ->
                    table.getItems().stream().anyMatch(host -> host.id().equals(id)
                            && host.state() == HostStatus.State.STOPPED)));
        }
    }
}
