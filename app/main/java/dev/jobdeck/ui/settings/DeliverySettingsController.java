package dev.jobdeck.ui.settings;

import dev.jobdeck.ui.settings.DeliverySettingsModel.Field;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

/** Binds the Settings screen's delivery section (bulk size, connection and rate limits) to its {@link DeliverySettingsModel}. */
public final class DeliverySettingsController {

    private final DeliverySettingsModel model;

    @FXML private TextField settingsBulkSize;
    @FXML private TextField settingsMaxConnections;
    @FXML private TextField settingsMaxPerSecond;
    @FXML private Label settingsBulkSizeError;
    @FXML private Label settingsMaxConnectionsError;
    @FXML private Label settingsMaxPerSecondError;
    @FXML private Button settingsSaveDelivery;
    @FXML private Label settingsDeliveryResult;

    public DeliverySettingsController(DeliverySettingsModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        settingsBulkSize.textProperty().bindBidirectional(model.bulkSizeProperty());
        settingsMaxConnections.textProperty().bindBidirectional(model.maxConnectionsProperty());
        settingsMaxPerSecond.textProperty().bindBidirectional(model.maxPerSecondProperty());
        SectionViews.showError(model.errorProperty(Field.BULK_SIZE), settingsBulkSize, settingsBulkSizeError);
        SectionViews.showError(model.errorProperty(Field.MAX_CONNECTIONS), settingsMaxConnections, settingsMaxConnectionsError);
        SectionViews.showError(model.errorProperty(Field.MAX_PER_SECOND), settingsMaxPerSecond, settingsMaxPerSecondError);
        settingsSaveDelivery.disableProperty().bind(model.savingProperty());
        SectionViews.showBanner(settingsDeliveryResult, model.resultProperty(), model.outcomeProperty());
    }

    @FXML
    private void saveDelivery() {
        model.save();
    }
}
