package dev.jobdeck.ui.fx;

import dev.jobdeck.testsupport.FxWaits;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.atomic.AtomicReference;

import static dev.jobdeck.testsupport.FxWaits.onFx;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class TableCellsTest {

    private TableView<String> table;
    private TableColumn<String, String> column;
    private final AtomicReference<String> suffix = new AtomicReference<>("first");

    @BeforeAll
    static void ignoreOtherTestsBackgroundFailures() {
        FxWaits.failOnlyOnFxThreadExceptions();
    }

    @Start
    void start(Stage stage) {
        table = new TableView<>();
        column = new TableColumn<>("Value");
        TableCells.showValue(column, row -> row);
        table.getColumns().add(column);
        stage.setScene(new Scene(table, 400, 300));
        stage.show();
    }

    @AfterEach
    void hide() throws Exception {
        FxToolkit.hideStage();
    }

    private void show(TableCells<String, String> cells, String... rows) {
        column.setCellFactory(cells);
        table.getItems().setAll(rows);
        table.refresh();
    }

    @SuppressWarnings("unchecked")
    private TableCell<String, String> cellOf(FxRobot robot, String row) {
        return robot.from(table).lookup(".table-cell").match((TableCell<String, String> cell) -> row.equals(cell.getItem()))
                .queryAs(TableCell.class);
    }

    @Test
    void showsTheTextOfTheValueAndNothingForAnEmptyText(FxRobot robot) throws Exception {
        robot.interact(() -> show(TableCells.<String, String>text(String::toUpperCase).withTooltip(v -> "tip " + v), "ok", ""));
        WaitForAsyncUtils.waitForFxEvents();

        TableCell<String, String> filled = cellOf(robot, "ok");
        TableCell<String, String> blank = cellOf(robot, "");
        assertThat(onFx(filled::getText)).isEqualTo("OK");
        assertThat(onFx(() -> filled.getTooltip().getText())).isEqualTo("tip ok");
        assertThat(onFx(blank::getText)).isNull();
        assertThat(onFx(blank::getTooltip)).isNull();
    }

    @Test
    void theTooltipIsWorkedOutAgainWhenItShows(FxRobot robot) throws Exception {
        robot.interact(() -> show(TableCells.<String, String>text(v -> v).withTooltip(v -> v + " " + suffix.get()), "job"));
        WaitForAsyncUtils.waitForFxEvents();
        TableCell<String, String> cell = cellOf(robot, "job");
        assertThat(onFx(() -> cell.getTooltip().getText())).isEqualTo("job first");

        suffix.set("later");
        robot.interact(() -> cell.getTooltip().getOnShowing()
                .handle(new WindowEvent(cell.getTooltip(), WindowEvent.WINDOW_SHOWING)));

        assertThat(onFx(() -> cell.getTooltip().getText())).isEqualTo("job later");
    }

    @Test
    void aBadgeShowsTheTextStyledForTheValueAndTheCellKeepsTheText(FxRobot robot) throws Exception {
        robot.interact(() -> show(TableCells.<String, String>text(v -> v)
                .asBadge((node, v) -> node.getStyleClass().add("badge-" + v)), "failed"));
        WaitForAsyncUtils.waitForFxEvents();

        TableCell<String, String> cell = cellOf(robot, "failed");
        assertThat(onFx(cell::getText)).isEqualTo("failed");
        assertThat(onFx(() -> ((Label) cell.getGraphic()).getText())).isEqualTo("failed");
        assertThat(onFx(() -> cell.getGraphic().getStyleClass())).contains(Styles.STATE_BADGE, "badge-failed");
    }

    @Test
    void theStyleClassFollowsTheValue(FxRobot robot) throws Exception {
        robot.interact(() -> show(TableCells.<String, String>text(v -> v).withStyleClass(v -> "kind-" + v), "sent"));
        WaitForAsyncUtils.waitForFxEvents();
        TableCell<String, String> cell = cellOf(robot, "sent");
        assertThat(onFx(cell::getStyleClass)).contains("kind-sent");

        robot.interact(() -> table.getItems().set(0, "bounced"));
        WaitForAsyncUtils.waitForFxEvents();

        TableCell<String, String> refilled = cellOf(robot, "bounced");
        assertThat(onFx(refilled::getStyleClass)).contains("kind-bounced").doesNotContain("kind-sent");
    }
}
