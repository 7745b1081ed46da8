package dev.jobdeck.ui.settings;

import dev.jobdeck.ui.settings.RetryPolicyModel.Field;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;

/** Binds the Settings screen's retries-and-bounces section to its {@link RetryPolicyModel}. */
public final class RetryPolicyController {

    private final RetryPolicyModel model;

    @FXML private GridPane retryForm;
    @FXML private TextField retryMaxRetries;
    @FXML private TextField retryFirstDelay;
    @FXML private TextField retryBackoffFactor;
    @FXML private TextField retryMaxDelay;
    @FXML private TextArea retryRules;
    @FXML private Label retryMaxRetriesError;
    @FXML private Label retryFirstDelayError;
    @FXML private Label retryBackoffFactorError;
    @FXML private Label retryMaxDelayError;
    @FXML private Label retryRulesError;
    @FXML private Label retrySchedule;
    @FXML private Button retrySave;
    @FXML private Button retryDefaults;
    @FXML private Label retrySaveResult;

    public RetryPolicyController(RetryPolicyModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        retryMaxRetries.textProperty().bindBidirectional(model.retriesProperty());
        retryFirstDelay.textProperty().bindBidirectional(model.firstDelayProperty());
        retryBackoffFactor.textProperty().bindBidirectional(model.factorProperty());
        retryMaxDelay.textProperty().bindBidirectional(model.maxDelayProperty());
        retryRules.textProperty().bindBidirectional(model.rulesProperty());
        SectionViews.showError(model.errorProperty(Field.RETRIES), retryMaxRetries, retryMaxRetriesError);
        SectionViews.showError(model.errorProperty(Field.FIRST_DELAY), retryFirstDelay, retryFirstDelayError);
        SectionViews.showError(model.errorProperty(Field.FACTOR), retryBackoffFactor, retryBackoffFactorError);
        SectionViews.showError(model.errorProperty(Field.MAX_DELAY), retryMaxDelay, retryMaxDelayError);
        SectionViews.showError(model.errorProperty(Field.RULES), retryRules, retryRulesError);
        retrySchedule.textProperty().bind(model.scheduleProperty());
        retryForm.disableProperty().bind(model.busyProperty());
        retrySave.disableProperty().bind(model.busyProperty());
        retryDefaults.disableProperty().bind(model.busyProperty());
        SectionViews.showBanner(retrySaveResult, model.resultProperty(), model.outcomeProperty());
    }

    @FXML
    private void saveRetryPolicy() {
        model.save();
    }

    @FXML
    private void restoreRetryDefaults() {
        model.restoreDefaults();
    }
}
