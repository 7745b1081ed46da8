package dev.jobdeck.ui.settings;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

/** Binds the Settings screen's storage section (retention, the store's size) to its {@link StorageSettingsModel}. */
public final class StorageSettingsController {

    private final StorageSettingsModel model;

    @FXML private TextField settingsRetention;
    @FXML private Label settingsRetentionError;
    @FXML private Label settingsStoreSize;
    @FXML private Button settingsSaveRetention;
    @FXML private Label settingsRetentionResult;
    @FXML private Label settingsStore;
    @FXML private Button settingsTestStore;
    @FXML private Label settingsTestStoreResult;

    public StorageSettingsController(StorageSettingsModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        settingsRetention.textProperty().bindBidirectional(model.retentionProperty());
        SectionViews.showError(model.retentionErrorProperty(), settingsRetention, settingsRetentionError);
        settingsStoreSize.textProperty().bind(model.storeSizeProperty());
        settingsSaveRetention.disableProperty().bind(model.savingProperty());
        SectionViews.showBanner(settingsRetentionResult, model.resultProperty(), model.outcomeProperty());
        settingsStore.textProperty().bind(model.storeProperty());
        settingsTestStore.disableProperty().bind(model.testingProperty());
        SectionViews.showBanner(settingsTestStoreResult, model.testResultProperty(), model.testOutcomeProperty());
    }

    @FXML
    private void testStore() {
        model.testConnection();
    }

    @FXML
    private void saveRetention() {
        model.save();
    }
}
