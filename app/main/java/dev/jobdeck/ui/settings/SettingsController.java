package dev.jobdeck.ui.settings;

import dev.jobdeck.core.mail.SmtpSecurity;
import dev.jobdeck.ui.ChoiceLabels;
import dev.jobdeck.ui.Styles;
import dev.jobdeck.ui.settings.SettingsModel.Field;
import dev.jobdeck.ui.settings.SettingsModel.Outcome;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;

/** Binds the SMTP settings form to its {@link SettingsModel} and the retry policy to its {@link RetryPolicyModel}. */
public final class SettingsController {

    private final SettingsModel model;
    private final RetryPolicyModel retry;

    @FXML private ToggleGroup settingsServerChoice;
    @FXML private RadioButton settingsUseSink;
    @FXML private RadioButton settingsUseServer;
    @FXML private GridPane settingsServerForm;
    @FXML private TextField settingsHost;
    @FXML private TextField settingsPort;
    @FXML private ComboBox<SmtpSecurity> settingsSecurity;
    @FXML private TextField settingsUsername;
    @FXML private PasswordField settingsPassword;
    @FXML private TextField settingsConnectTimeout;
    @FXML private TextField settingsReadTimeout;
    @FXML private Label settingsHostError;
    @FXML private Label settingsPortError;
    @FXML private Label settingsUsernameError;
    @FXML private Label settingsConnectTimeoutError;
    @FXML private Label settingsReadTimeoutError;
    @FXML private TextField trustFingerprint;
    @FXML private Label trustFingerprintError;
    @FXML private Label trustNote;
    @FXML private Label passwordNote;
    @FXML private Button trustPresentedCertificate;
    @FXML private Button testConnection;
    @FXML private Button settingsSave;
    @FXML private Label settingsTestResult;
    @FXML private Label settingsSaveResult;
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
    @FXML private TextField settingsBulkSize;
    @FXML private TextField settingsMaxConnections;
    @FXML private TextField settingsMaxPerSecond;
    @FXML private Label settingsBulkSizeError;
    @FXML private Label settingsMaxConnectionsError;
    @FXML private Label settingsMaxPerSecondError;
    @FXML private Button settingsSaveDelivery;
    @FXML private Label settingsDeliveryResult;

    public SettingsController(SettingsModel model, RetryPolicyModel retry) {
        this.model = model;
        this.retry = retry;
    }

    @FXML
    private void initialize() {
        settingsUseSink.textProperty().bind(model.sinkLabelProperty());
        settingsServerChoice.selectToggle(model.useSinkProperty().get() ? settingsUseSink : settingsUseServer);
        settingsServerChoice.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle != null) {
                model.useSinkProperty().set(toggle == settingsUseSink);
            }
        });
        model.useSinkProperty().addListener((obs, old, sink) ->
                settingsServerChoice.selectToggle(sink ? settingsUseSink : settingsUseServer));
        settingsServerForm.disableProperty().bind(model.useSinkProperty());

        settingsHost.textProperty().bindBidirectional(model.hostProperty());
        settingsPort.textProperty().bindBidirectional(model.portProperty());
        settingsSecurity.getItems().setAll(SmtpSecurity.values());
        settingsSecurity.setConverter(ChoiceLabels.of(SettingsModel::securityLabel));
        settingsSecurity.valueProperty().bindBidirectional(model.securityProperty());
        settingsUsername.textProperty().bindBidirectional(model.usernameProperty());
        settingsPassword.textProperty().bindBidirectional(model.passwordProperty());
        settingsConnectTimeout.textProperty().bindBidirectional(model.connectTimeoutProperty());
        settingsReadTimeout.textProperty().bindBidirectional(model.readTimeoutProperty());
        trustFingerprint.textProperty().bindBidirectional(model.trustFingerprintProperty());
        trustNote.textProperty().bind(model.trustNoteProperty());
        passwordNote.textProperty().bind(model.passwordNoteProperty());
        trustPresentedCertificate.visibleProperty().bind(model.offeredFingerprintProperty().isNotEmpty());
        trustPresentedCertificate.managedProperty().bind(trustPresentedCertificate.visibleProperty());

        showError(Field.HOST, settingsHost, settingsHostError);
        showError(Field.PORT, settingsPort, settingsPortError);
        showError(Field.USERNAME, settingsUsername, settingsUsernameError);
        showError(Field.CONNECT_TIMEOUT, settingsConnectTimeout, settingsConnectTimeoutError);
        showError(Field.READ_TIMEOUT, settingsReadTimeout, settingsReadTimeoutError);
        showError(Field.TRUST_FINGERPRINT, trustFingerprint, trustFingerprintError);

        testConnection.disableProperty().bind(model.testingProperty());
        settingsSave.disableProperty().bind(model.savingProperty());
        showBanner(settingsTestResult, model.testResultProperty(), model.testOutcomeProperty());
        showBanner(settingsSaveResult, model.saveResultProperty(), model.saveOutcomeProperty());

        settingsBulkSize.textProperty().bindBidirectional(model.bulkSizeProperty());
        settingsMaxConnections.textProperty().bindBidirectional(model.maxConnectionsProperty());
        settingsMaxPerSecond.textProperty().bindBidirectional(model.maxPerSecondProperty());
        showError(Field.BULK_SIZE, settingsBulkSize, settingsBulkSizeError);
        showError(Field.MAX_CONNECTIONS, settingsMaxConnections, settingsMaxConnectionsError);
        showError(Field.MAX_PER_SECOND, settingsMaxPerSecond, settingsMaxPerSecondError);
        settingsSaveDelivery.disableProperty().bind(model.savingDeliveryProperty());
        showBanner(settingsDeliveryResult, model.deliveryResultProperty(), model.deliveryOutcomeProperty());
        bindRetryPolicy();
    }

    private void bindRetryPolicy() {
        retryMaxRetries.textProperty().bindBidirectional(retry.retriesProperty());
        retryFirstDelay.textProperty().bindBidirectional(retry.firstDelayProperty());
        retryBackoffFactor.textProperty().bindBidirectional(retry.factorProperty());
        retryMaxDelay.textProperty().bindBidirectional(retry.maxDelayProperty());
        retryRules.textProperty().bindBidirectional(retry.rulesProperty());
        showError(retry.errorProperty(RetryPolicyModel.Field.RETRIES), retryMaxRetries, retryMaxRetriesError);
        showError(retry.errorProperty(RetryPolicyModel.Field.FIRST_DELAY), retryFirstDelay, retryFirstDelayError);
        showError(retry.errorProperty(RetryPolicyModel.Field.FACTOR), retryBackoffFactor, retryBackoffFactorError);
        showError(retry.errorProperty(RetryPolicyModel.Field.MAX_DELAY), retryMaxDelay, retryMaxDelayError);
        showError(retry.errorProperty(RetryPolicyModel.Field.RULES), retryRules, retryRulesError);
        retrySchedule.textProperty().bind(retry.scheduleProperty());
        retryForm.disableProperty().bind(retry.busyProperty());
        retrySave.disableProperty().bind(retry.busyProperty());
        retryDefaults.disableProperty().bind(retry.busyProperty());
        showBanner(retrySaveResult, retry.resultProperty(), retry.outcomeProperty());
    }

    private void showError(Field field, Node input, Label label) {
        showError(model.errorProperty(field), input, label);
    }

    static void showError(ReadOnlyStringProperty error, Node input, Label label) {
        label.textProperty().bind(error);
        label.visibleProperty().bind(error.isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
        error.addListener((obs, old, message) -> input.pseudoClassStateChanged(Styles.INVALID, !message.isEmpty()));
    }

    static void showBanner(Label banner, ReadOnlyStringProperty text, ReadOnlyObjectProperty<Outcome> outcome) {
        banner.textProperty().bind(text);
        banner.visibleProperty().bind(outcome.isNotEqualTo(Outcome.NONE));
        banner.managedProperty().bind(banner.visibleProperty());
        outcome.addListener((obs, old, kind) ->
                Styles.banner(banner, kind == Outcome.SUCCESS ? Styles.BANNER_SUCCESS : Styles.BANNER_DANGER));
    }

    @FXML
    private void runConnectionTest() {
        model.testConnection();
    }

    @FXML
    private void trustPresentedCertificate() {
        model.trustOfferedCertificate();
    }

    @FXML
    private void save() {
        model.save();
    }

    @FXML
    private void saveRetryPolicy() {
        retry.save();
    }

    @FXML
    private void restoreRetryDefaults() {
        retry.restoreDefaults();
    }

    @FXML
    private void saveDelivery() {
        model.saveDelivery();
    }
}
