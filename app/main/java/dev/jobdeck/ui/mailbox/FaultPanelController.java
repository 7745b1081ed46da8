package dev.jobdeck.ui.mailbox;

import dev.jobdeck.ui.fx.ChoiceLabels;
import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.mailbox.FaultPanelModel.RejectCode;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.VBox;

/**
 * Binds the Mailbox screen's fault panel ({@code FaultPanel.fxml}) to its {@link FaultPanelModel}, which is part of
 * the {@link MailboxModel}: the Mailbox header shows the sink's state from it. Made with nothing by the controller
 * factory; the Mailbox controller calls {@link #bind} (decision 44).
 */
public final class FaultPanelController {

    private FaultPanelModel model;

    @FXML private VBox mailboxFaults;
    @FXML private Label faultSummary;
    @FXML private ToggleButton sinkDown;
    @FXML private TextField faultFailPercent;
    @FXML private Label faultFailPercentError;
    @FXML private TextField faultLatency;
    @FXML private Label faultLatencyError;
    @FXML private CheckBox faultHang;
    @FXML private TextField mailboxRejectAddress;
    @FXML private ComboBox<RejectCode> mailboxRejectCode;
    @FXML private Label mailboxRejectError;
    @FXML private ListView<String> mailboxRejections;

    void bind(FaultPanelModel faults) {
        this.model = faults;
        faultSummary.textProperty().bind(model.faultSummaryProperty());
        Styles.banner(faultSummary, model.faultsActiveProperty().get() ? Styles.BANNER_DANGER : Styles.BANNER_SUCCESS);
        model.faultsActiveProperty().addListener((obs, was, active) ->
                Styles.banner(faultSummary, active ? Styles.BANNER_DANGER : Styles.BANNER_SUCCESS));

        sinkDown.setSelected(model.sinkAvailable() && !model.sinkUpProperty().get());
        sinkDown.textProperty().bind(model.sinkUpProperty().map(up -> up ? "Take the sink down" : "Bring the sink back up"));
        sinkDown.disableProperty().bind(model.sinkBusyProperty());
        sinkDown.setOnAction(event -> model.setSinkDown(sinkDown.isSelected()));
        model.sinkUpProperty().addListener((obs, was, up) -> sinkDown.setSelected(!up));

        faultFailPercent.textProperty().bindBidirectional(model.failPercentProperty());
        faultLatency.textProperty().bindBidirectional(model.latencyMillisProperty());
        showError(faultFailPercent, faultFailPercentError, model.failPercentErrorProperty());
        showError(faultLatency, faultLatencyError, model.latencyErrorProperty());

        faultHang.setSelected(model.hangingProperty().get());
        faultHang.setOnAction(event -> model.setHanging(faultHang.isSelected()));
        model.hangingProperty().addListener((obs, was, on) -> faultHang.setSelected(on));

        mailboxRejectAddress.textProperty().bindBidirectional(model.rejectAddressProperty());
        mailboxRejectCode.getItems().setAll(RejectCode.values());
        mailboxRejectCode.setConverter(ChoiceLabels.of(RejectCode::label));
        mailboxRejectCode.valueProperty().bindBidirectional(model.rejectCodeProperty());
        showError(mailboxRejectAddress, mailboxRejectError, model.rejectErrorProperty());
        mailboxRejections.setItems(model.rejections());
        mailboxRejections.setPlaceholder(new Label("No rules: every recipient is accepted."));

        mailboxFaults.setDisable(!model.sinkAvailable());
    }

    private static void showError(TextField input, Label label, ReadOnlyStringProperty error) {
        label.textProperty().bind(error);
        label.visibleProperty().bind(error.isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
        error.addListener((obs, old, message) -> input.pseudoClassStateChanged(Styles.INVALID, !message.isEmpty()));
    }

    @FXML
    private void addRejection() {
        model.addRejection();
    }

    @FXML
    private void clearRejections() {
        model.clearRejections();
    }

    @FXML
    private void applyFaults() {
        model.applyFaults();
    }

    @FXML
    private void clearAllFaults() {
        model.clearAllFaults();
    }
}
