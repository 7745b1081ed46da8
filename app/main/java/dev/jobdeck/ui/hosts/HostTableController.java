package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.time.Instant;

import static dev.jobdeck.ui.fx.TableCells.showText;
import static dev.jobdeck.ui.fx.TableCells.showValue;

/** {@code HostTable.fxml}: every host the store knows, live. A pane of the Hosts screen, bound to {@link HostTableModel}. */
public final class HostTableController {

    @FXML private TableView<HostStatus> hostsTable;
    @FXML private TableColumn<HostStatus, String> colName;
    @FXML private TableColumn<HostStatus, String> colKind;
    @FXML private TableColumn<HostStatus, String> colMachine;
    @FXML private TableColumn<HostStatus, String> colPid;
    @FXML private TableColumn<HostStatus, HostStatus.State> colState;
    @FXML private TableColumn<HostStatus, Instant> colStarted;
    @FXML private TableColumn<HostStatus, Instant> colHeartbeat;
    @FXML private TableColumn<HostStatus, String> colJobs;
    @FXML private TableColumn<HostStatus, String> colCpu;
    @FXML private TableColumn<HostStatus, String> colMemory;
    @FXML private TableColumn<HostStatus, String> colStopReason;

    void bind(HostTableModel model) {
        hostsTable.setItems(model.rows());
        hostsTable.setPlaceholder(new Label("No hosts yet: the console's own host appears when it starts."));
        showText(colName, HostStatus::name);
        showText(colKind, host -> HostTexts.kind(host.kind()));
        // One column for both, so the table's columns fit a 1440-pixel window with the stop reason in view.
        showText(colMachine, host -> HostTexts.machine(host.machine(), host.address()));
        showText(colPid, host -> host.pid() == null ? "" : Long.toString(host.pid()));
        showValue(colState, HostStatus::state);
        colState.setCellFactory(HostCells.stateChip());
        showValue(colStarted, HostStatus::startedAt);
        colStarted.setCellFactory(HostCells.time(model::zone, model::now));
        showValue(colHeartbeat, HostStatus::lastHeartbeat);
        colHeartbeat.setCellFactory(HostCells.time(model::zone, model::now));
        // Jobs running of the host's workers in one column, so every column fits a 1440-pixel window unclipped.
        showText(colJobs, host -> host.isLive() ? host.processing() + " of " + host.workers() : "");
        showText(colCpu, host -> HostTexts.cpu(host.cpuPercent()));
        showText(colMemory, host -> HostTexts.memory(host.memoryBytes()));
        showText(colStopReason, host -> host.isLive() || host.stopReason() == null ? "" : host.stopReason());
        colStopReason.setCellFactory(HostCells.longText());
        hostsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        hostsTable.getSelectionModel().selectedItemProperty().addListener((obs, old, host) -> {
            if (!model.isReplacingRows()) {
                model.selectHost(host == null ? null : host.id());
            }
        });
        // Runs after the table reacted to new rows (it drops its selection): select the same host again.
        model.rows().addListener((ListChangeListener<HostStatus>) change -> model.selectedHostId().flatMap(id ->
                model.rows().stream().filter(row -> row.id().equals(id)).findFirst())
                .ifPresent(row -> hostsTable.getSelectionModel().select(row)));
    }
}
