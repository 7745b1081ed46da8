package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.ui.fx.Styles;
import javafx.animation.PauseTransition;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The view of {@code BulkAction.fxml}, included by the Jobs screen: binds {@link BulkActionModel} to the time range,
 * the "Act on all matching" menu, the progress bar with its cancel button and the summary, and asks for confirmation.
 */
public final class BulkActionController {

    /** The confirmation's OK button, so tests and screen readers find it. */
    public static final String CONFIRM_ID = "confirmBulkAction";

    private final BulkActionModel model;

    @FXML private VBox bulkBar;
    @FXML private TextField rangeSince;
    @FXML private TextField rangeUntil;
    @FXML private Label rangeMessage;
    @FXML private MenuButton actOnAllMatching;
    @FXML private MenuItem retryAllMatching;
    @FXML private MenuItem deleteAllMatching;
    @FXML private HBox bulkRunning;
    @FXML private ProgressBar bulkProgress;
    @FXML private Label bulkProgressText;
    @FXML private Button cancelBulkAction;
    @FXML private Label bulkSummary;

    public BulkActionController(BulkActionModel model) {
        this.model = model;
    }

    /** Called by the Jobs screen's controller once both are loaded: acts on what its table matches. */
    public void attach(JobsModel jobs) {
        model.follow(jobs);
    }

    @FXML
    private void initialize() {
        rangeSince.textProperty().bindBidirectional(model.sinceTextProperty());
        rangeUntil.textProperty().bindBidirectional(model.untilTextProperty());
        // Applied once typing pauses, or at once on Enter: each change is a query on the store.
        PauseTransition typing = new PauseTransition(Duration.millis(500));
        typing.setOnFinished(event -> model.applyRange());
        rangeSince.textProperty().addListener((obs, old, text) -> typing.playFromStart());
        rangeUntil.textProperty().addListener((obs, old, text) -> typing.playFromStart());
        rangeSince.setOnAction(event -> model.applyRange());
        rangeUntil.setOnAction(event -> model.applyRange());
        rangeMessage.textProperty().bind(model.rangeMessageProperty());
        rangeMessage.visibleProperty().bind(model.rangeMessageProperty().isNotEmpty());
        rangeMessage.managedProperty().bind(rangeMessage.visibleProperty());

        actOnAllMatching.textProperty().bind(model.buttonTextProperty());
        actOnAllMatching.disableProperty().bind(model.busyProperty());
        actOnAllMatching.setOnShowing(event -> model.describe());
        retryAllMatching.textProperty().bind(model.retryTextProperty());
        deleteAllMatching.textProperty().bind(model.deleteTextProperty());

        bulkRunning.visibleProperty().bind(model.runningProperty());
        bulkRunning.managedProperty().bind(bulkRunning.visibleProperty());
        bulkProgress.progressProperty().bind(model.progressProperty());
        bulkProgressText.textProperty().bind(model.progressTextProperty());
        Styles.bindBanner(bulkSummary, model.summary());
    }

    @FXML
    private void retryAllMatching() {
        model.prepare(BulkActions.Action.RETRY, this::confirm);
    }

    @FXML
    private void deleteAllMatching() {
        model.prepare(BulkActions.Action.DELETE, this::confirm);
    }

    @FXML
    private void cancelBulkAction() {
        model.cancel();
    }

    /** Asks without blocking the JavaFX thread's caller; starts the action only on OK. */
    private void confirm(BulkActions.Plan plan) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, model.confirmationDetail(plan), ButtonType.OK, ButtonType.CANCEL);
        alert.setTitle(plan.action().title() + " all matching");
        alert.setHeaderText(plan.question());
        Button ok = (Button) alert.getDialogPane().lookupButton(ButtonType.OK);
        ok.setText(plan.action().verb() + " " + BulkActions.jobs(plan.count()));
        ok.setId(CONFIRM_ID);
        alert.initOwner(bulkBar.getScene().getWindow());
        alert.setOnHidden(event -> {
            if (alert.getResult() == ButtonType.OK) {
                model.start(plan);
            }
        });
        alert.show();
    }
}
