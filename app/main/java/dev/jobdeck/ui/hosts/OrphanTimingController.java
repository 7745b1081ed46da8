package dev.jobdeck.ui.hosts;

import dev.jobdeck.ui.hosts.HostsModel.Field;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

import static dev.jobdeck.ui.hosts.Bind.figure;
import static dev.jobdeck.ui.hosts.Bind.markLoss;

/**
 * {@code OrphanTiming.fxml}, the row under the hosts: the time until a crashed host's jobs run again (expected and
 * measured), the orphan timing settings ({@link OrphanTimingModel}), and the report's figures side by side
 * ({@link ReportModel}). A pane of the Hosts screen, handed its models by {@link HostsController}.
 */
public final class OrphanTimingController {

    private OrphanTimingModel model;

    @FXML private Label expectedSeen;
    @FXML private Label expectedUnseen;
    @FXML private Label handedBack;
    @FXML private Label measured;
    @FXML private TextField pollSeconds;
    @FXML private Label pollError;
    @FXML private TextField multiplicand;
    @FXML private Label multiplicandError;
    @FXML private CheckBox replaceDeadHosts;
    @FXML private Button saveTiming;
    @FXML private Label compareJobsAccepted;
    @FXML private Label compareJobsSent;
    @FXML private Label compareJobsLost;
    @FXML private Label compareMemoryAccepted;
    @FXML private Label compareMemorySent;
    @FXML private Label compareMemoryLost;

    void bind(OrphanTimingModel timing, ReportModel report) {
        this.model = timing;
        expectedSeen.textProperty().bind(model.expectedSeenProperty());
        expectedUnseen.textProperty().bind(model.expectedUnseenProperty());
        measured.textProperty().bind(model.measuredProperty());
        handedBack.textProperty().bind(model.handedBackProperty());
        Bind.field(pollSeconds, model.pollSecondsProperty(), pollError, model.errorProperty(Field.POLL));
        Bind.field(multiplicand, model.multiplicandProperty(), multiplicandError, model.errorProperty(Field.MULTIPLICAND));
        replaceDeadHosts.selectedProperty().bindBidirectional(model.replaceDeadHostsProperty());
        saveTiming.disableProperty().bind(model.busyProperty());
        pollSeconds.setOnAction(event -> model.saveTiming());
        multiplicand.setOnAction(event -> model.saveTiming());
        figure(compareJobsAccepted, report.acceptedProperty());
        figure(compareJobsSent, report.deliveredProperty());
        figure(compareJobsLost, report.lostProperty());
        figure(compareMemoryAccepted, report.memoryHandedOverProperty());
        figure(compareMemorySent, report.memorySentProperty());
        figure(compareMemoryLost, report.memoryLostProperty());
        markLoss(compareJobsLost, report.lostProperty());
        markLoss(compareMemoryLost, report.memoryLostProperty());
    }

    @FXML
    private void saveTiming() {
        model.saveTiming();
    }
}
