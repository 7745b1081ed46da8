package dev.jobdeck.ui.settings;

import dev.jobdeck.core.mail.SmtpSecurity;
import dev.jobdeck.ui.fx.ChoiceLabels;
import dev.jobdeck.ui.settings.OutgoingServerModel.Field;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;

/** Binds the Settings screen's outgoing server section (the SMTP form) to its {@link OutgoingServerModel}. */
public final class OutgoingServerController {

    private final OutgoingServerModel model;

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

    public OutgoingServerController(OutgoingServerModel model) {
        this.model = model;
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
        settingsSecurity.setConverter(ChoiceLabels.of(OutgoingServerModel::securityLabel));
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
        SectionViews.showBanner(settingsTestResult, model.testResultProperty(), model.testOutcomeProperty());
        SectionViews.showBanner(settingsSaveResult, model.saveResultProperty(), model.saveOutcomeProperty());
    }

    private void showError(Field field, Node input, Label label) {
        SectionViews.showError(model.errorProperty(field), input, label);
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
}
