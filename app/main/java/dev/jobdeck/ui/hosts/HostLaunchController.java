package dev.jobdeck.ui.hosts;

import dev.jobdeck.ui.fx.ChoiceLabels;
import dev.jobdeck.ui.hosts.HostActionsModel.StartKind;
import dev.jobdeck.ui.hosts.HostsModel.Field;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;

/**
 * {@code HostLaunch.fxml}, the toolbar over the hosts: start hosts ({@link HostActionsModel}) and send a test batch
 * ({@link TestBatchModel}). A pane of the Hosts screen, handed its models by {@link HostsController}.
 */
public final class HostLaunchController {

    private HostActionsModel actions;
    private TestBatchModel batch;

    @FXML private Spinner<Integer> startCount;
    @FXML private ComboBox<StartKind> startKind;
    @FXML private TextField workersEach;
    @FXML private Button startHosts;
    @FXML private TextField batchSize;
    @FXML private Button sendTestBatch;
    @FXML private Label workersError;
    @FXML private Label batchError;

    void bind(HostActionsModel actionsModel, TestBatchModel batchModel) {
        this.actions = actionsModel;
        this.batch = batchModel;
        SpinnerValueFactory.IntegerSpinnerValueFactory counts =
                new SpinnerValueFactory.IntegerSpinnerValueFactory(1, HostActionsModel.MAX_START, 1);
        startCount.setValueFactory(counts);
        counts.valueProperty().bindBidirectional(actions.startCountProperty());
        startKind.getItems().setAll(actions.startKinds());
        startKind.setConverter(ChoiceLabels.of(StartKind::label));
        startKind.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(StartKind kind, boolean empty) {
                super.updateItem(kind, empty);
                setText(empty || kind == null ? null : kind.shortLabel());
            }
        });
        startKind.valueProperty().bindBidirectional(actions.startKindProperty());
        Bind.field(workersEach, actions.workersEachProperty(), workersError, actions.errorProperty(Field.WORKERS));
        Bind.field(batchSize, batch.batchSizeProperty(), batchError, batch.errorProperty(Field.BATCH_SIZE));
        sendTestBatch.textProperty().bind(batch.batchTargetProperty());
        startHosts.disableProperty().bind(actions.busyProperty());
        sendTestBatch.disableProperty().bind(batch.busyProperty());
        workersEach.setOnAction(event -> actions.startHosts());
        batchSize.setOnAction(event -> batch.sendTestBatch());
    }

    @FXML
    private void startHosts() {
        actions.startHosts();
    }

    @FXML
    private void sendTestBatch() {
        batch.sendTestBatch();
    }
}
