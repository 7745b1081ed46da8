package dev.jobdeck.ui.hosts;

import dev.jobdeck.ui.hosts.HostsModel.Field;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

/**
 * {@code HostActions.fxml}: crash, restart, recycle, drain or stop the selected host, with the deadline of a
 * recycle or drain. A pane of the Hosts screen, bound to {@link HostActionsModel}.
 */
public final class HostActionsController {

    private HostActionsModel model;

    @FXML private Label selectionText;
    @FXML private Button crashHost;
    @FXML private Button restartHost;
    @FXML private Button recycleHost;
    @FXML private Button drainHost;
    @FXML private Button stopHost;
    @FXML private TextField recycleDeadline;
    @FXML private Label recycleError;

    void bind(HostActionsModel actions) {
        this.model = actions;
        selectionText.textProperty().bind(model.selectionTextProperty());
        crashHost.disableProperty().bind(model.canCrashProperty().not().or(model.busyProperty()));
        restartHost.disableProperty().bind(model.canStopProperty().not().or(model.busyProperty()));
        recycleHost.disableProperty().bind(model.canStopProperty().not().or(model.busyProperty()));
        drainHost.disableProperty().bind(model.canCommandProperty().not().or(model.busyProperty()));
        stopHost.disableProperty().bind(model.canCommandProperty().not().or(model.busyProperty()));
        Bind.field(recycleDeadline, model.recycleDeadlineProperty(), recycleError, model.errorProperty(Field.RECYCLE_DEADLINE));
    }

    @FXML
    private void crashHost() {
        model.crashSelected();
    }

    @FXML
    private void restartHost() {
        model.restartSelected();
    }

    @FXML
    private void recycleHost() {
        model.recycleSelected();
    }

    @FXML
    private void drainHost() {
        model.drainSelected();
    }

    @FXML
    private void stopHost() {
        model.stopSelected();
    }
}
