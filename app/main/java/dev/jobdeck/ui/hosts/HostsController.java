package dev.jobdeck.ui.hosts;

import dev.jobdeck.ui.fx.Refresher;
import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.fx.WhileShown;
import dev.jobdeck.ui.hosts.HostsModel.Field;
import javafx.application.Platform;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.VBox;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Hosts screen ({@code Hosts.fxml}): its header (host count, crash all, chaos) and banner bound here, and
 * each pane a view of its own ({@code fx:include}), whose controller this one hands the pane's model
 * (decision 0044). Reads live while the screen is shown.
 */
public final class HostsController {

    /** The controllers of the panes {@code Hosts.fxml} includes: made empty, bound by {@link #initialize}. */
    private static final Map<Class<?>, Supplier<Object>> PANES = Map.of(
            HostLaunchController.class, HostLaunchController::new,
            HostTableController.class, HostTableController::new,
            HostActionsController.class, HostActionsController::new,
            OrphanTimingController.class, OrphanTimingController::new,
            ReportController.class, ReportController::new,
            ReportIncidentsController.class, ReportIncidentsController::new);

    private final HostsModel model;
    private final Refresher refresher;
    private ObservableValue<Boolean> shown;

    @FXML private VBox root;
    @FXML private Label hostCount;
    @FXML private Button crashAll;
    @FXML private ToggleButton chaosToggle;
    @FXML private TextField chaosSeconds;
    @FXML private Label chaosStatus;
    @FXML private Label chaosError;
    @FXML private Label hostsMessage;
    @FXML private HostLaunchController launchController;
    @FXML private HostTableController clusterController;
    @FXML private HostActionsController actionsController;
    @FXML private OrphanTimingController timingController;
    @FXML private ReportController reportController;

    public HostsController(HostsModel model, Refresher refresher) {
        this.model = model;
        this.refresher = refresher;
    }

    /**
     * The controller of a pane that {@code Hosts.fxml} includes, for the controller factory: a pane's controller
     * takes its model from this one, not from the services, so it is made with nothing. Empty for any other type.
     */
    public static Optional<Object> pane(Class<?> type) {
        return Optional.ofNullable(PANES.get(type)).map(Supplier::get);
    }

    @FXML
    private void initialize() {
        Styles.bindBanner(hostsMessage, model.banner());
        hostCount.textProperty().bind(model.hostCountProperty());
        bindChaos();
        launchController.bind(model.actions(), model.testBatch());
        clusterController.bind(model.table());
        actionsController.bind(model.actions());
        timingController.bind(model.timing(), model.report());
        reportController.bind(model.report());
        // Reads live while the screen is in a showing window; the shell removes hidden screens from the scene.
        shown = WhileShown.run(root, () -> model.startLive(refresher, Platform::runLater), model::stopLive);
    }

    private void bindChaos() {
        ChaosModel chaos = model.chaos();
        crashAll.disableProperty().bind(chaos.busyProperty());
        Bind.field(chaosSeconds, chaos.chaosSecondsProperty(), chaosError, chaos.errorProperty(Field.CHAOS_INTERVAL));
        chaosStatus.textProperty().bind(chaos.chaosTextProperty());
        chaos.chaosOnProperty().addListener((obs, old, on) -> chaosToggle.setSelected(on));
        chaosToggle.setSelected(chaos.chaosOnProperty().get());
        chaosSeconds.disableProperty().bind(chaos.chaosOnProperty());
    }

    @FXML
    private void crashAll() {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, model.chaos().crashAllQuestion(), ButtonType.OK,
                ButtonType.CANCEL);
        alert.setHeaderText(null);
        alert.initOwner(root.getScene().getWindow());
        if (alert.showAndWait().filter(ButtonType.OK::equals).isPresent()) {
            model.chaos().crashAll();
        }
    }

    @FXML
    private void toggleChaos() {
        boolean wanted = chaosToggle.isSelected();
        // The button shows what is running, not what was asked for: the model sets it once chaos did start or stop.
        chaosToggle.setSelected(model.chaos().chaosOnProperty().get());
        model.chaos().setChaos(wanted);
    }
}
