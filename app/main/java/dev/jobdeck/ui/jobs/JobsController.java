package dev.jobdeck.ui.jobs;

import dev.jobdeck.ui.fx.Navigation;
import dev.jobdeck.ui.fx.Refresher;
import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.fx.WhileShown;
import javafx.application.Platform;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.layout.VBox;

/**
 * The Jobs screen: the header, the banner and the tabs; each pane is a view of its own, included by {@code Jobs.fxml}
 * and attached here to its part of the one {@link JobsModel} (decision 46). Reads live while the screen is shown.
 */
public final class JobsController {

    private final JobsModel model;
    private final Refresher refresher;
    private final Navigation navigation;
    private ObservableValue<Boolean> shown;

    @FXML private VBox root;
    @FXML private Label jobsMessage;
    @FXML private Button restartHost;
    @FXML private Tab recurringTab;
    @FXML private StateCardsController cardsController;
    @FXML private JobFilterBarController filterBarController;
    @FXML private BulkActionController bulkController;
    @FXML private JobTableController tableController;
    @FXML private JobDetailController detailController;
    @FXML private RecurringController recurringController;

    public JobsController(JobsModel model, Refresher refresher, Navigation navigation) {
        this.model = model;
        this.refresher = refresher;
        this.navigation = navigation;
    }

    @FXML
    private void initialize() {
        Styles.bindBanner(jobsMessage, model.banner());
        restartHost.disableProperty().bind(model.busyProperty());
        cardsController.attach(model);
        filterBarController.attach(model);
        // Another screen may have asked for a filter before this one was first loaded.
        navigation.jobsFilterRequestProperty().addListener((obs, old, state) -> model.filter().setFilter(state));
        model.filter().setFilter(navigation.jobsFilterRequestProperty().get());
        tableController.attach(model);
        detailController.attach(model);
        recurringController.attach(model);
        recurringTab.selectedProperty().addListener((obs, old, selected) -> model.showRecurring(selected));
        // Reads live while the screen is in a showing window; the shell removes hidden screens from the scene.
        shown = WhileShown.run(root, () -> model.startLive(refresher, Platform::runLater), model::stopLive);
        bulkController.attach(model);
    }

    @FXML
    private void restartHost() {
        model.restartHost();
    }
}
