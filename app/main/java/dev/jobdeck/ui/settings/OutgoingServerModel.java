package dev.jobdeck.ui.settings;

import dev.jobdeck.core.mail.CertificateFingerprint;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.SmtpSecurity;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.Configuration;
import dev.jobdeck.core.settings.OutgoingServer;
import dev.jobdeck.ui.fx.FieldErrors;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Settings screen's outgoing server section: where jobs deliver (the built-in sink or another SMTP server),
 * checked before it is saved, with a connection test and the trust of one certificate.
 */
public final class OutgoingServerModel {

    public enum Field { HOST, PORT, USERNAME, CONNECT_TIMEOUT, READ_TIMEOUT, TRUST_FINGERPRINT }

    static final int MAX_TIMEOUT_SECONDS = 3600;
    private static final Pattern PRESENTED_FINGERPRINT = Pattern.compile("SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");

    private final OutgoingServer outgoing;
    private final Mailer mailer;
    private final TaskRunner tasks;
    private final Runnable onSaved;

    // Properties: the inputs, bound both ways by the view
    private final BooleanProperty useSink = new SimpleBooleanProperty(true);
    private final StringProperty host = new SimpleStringProperty("");
    private final StringProperty port = new SimpleStringProperty("587");
    private final ObjectProperty<SmtpSecurity> security = new SimpleObjectProperty<>(SmtpSecurity.STARTTLS);
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty connectTimeout = new SimpleStringProperty("");
    private final StringProperty readTimeout = new SimpleStringProperty("");
    private final StringProperty trustFingerprint = new SimpleStringProperty("");

    // Properties: derived state, read-only to the view
    private final ReadOnlyStringWrapper sinkLabel = new ReadOnlyStringWrapper("");
    private final FieldErrors<Field> errors = new FieldErrors<>(Field.class);
    private final ReadOnlyBooleanWrapper testing = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper testResult = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> testOutcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);
    private final ReadOnlyStringWrapper saveResult = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> saveOutcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);
    private final ReadOnlyStringWrapper offeredFingerprint = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper trustNote = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper passwordNote = new ReadOnlyStringWrapper("");
    private Duration writeTimeout;

    /** @param onSaved runs on the UI thread after a save, e.g. to refresh the status bar */
    public OutgoingServerModel(OutgoingServer outgoing, Mailer mailer, TaskRunner tasks, Runnable onSaved) {
        this.outgoing = outgoing;
        this.mailer = mailer;
        this.tasks = tasks;
        this.onSaved = onSaved;
        errors.clearOnEdit(host, Field.HOST);
        errors.clearOnEdit(port, Field.PORT);
        errors.clearOnEdit(username, Field.USERNAME);
        errors.clearOnEdit(connectTimeout, Field.CONNECT_TIMEOUT);
        errors.clearOnEdit(readTimeout, Field.READ_TIMEOUT);
        errors.clearOnEdit(trustFingerprint, Field.TRUST_FINGERPRINT);
        trustFingerprint.addListener((obs, old, text) -> trustNote.set(describeTrust(text)));
        trustNote.set(describeTrust(""));
        passwordNote.set("Kept in " + outgoing.secretsDescription()
                + ", never in the database, job arguments, logs or exports.");
        useSink.addListener((obs, old, sink) -> errors.clearAll());
        // A test's or a save's result speaks of the form as it was: an edit takes it away (issue 19), and a
        // fingerprint offered by another server is no longer on offer.
        for (javafx.beans.Observable server : List.of(useSink, host, port, security)) {
            server.addListener(obs -> offeredFingerprint.set(""));
        }
        for (javafx.beans.Observable field : List.of(useSink, host, port, security, username, password, connectTimeout,
                readTimeout, trustFingerprint)) {
            field.addListener(obs -> {
                if (!testing.get()) {
                    showTest(Outcome.NONE, "");
                }
                if (!saving.get()) {
                    showSave(Outcome.NONE, "");
                }
            });
        }
        load();
    }

    /**
     * Fills the form from the saved settings. {@link OutgoingServer} keeps them in memory after start,
     * so this reads no database and is safe on the UI thread.
     */
    public void load() {
        sinkLabel.set(outgoing.builtInSink()
                .map(sink -> "Built-in SMTP sink (" + sink.address() + ")")
                .orElse("Built-in SMTP sink (not running)"));
        useSink.set(outgoing.usesBuiltInSink());
        Optional<SmtpSettings> custom = outgoing.saved();
        custom.ifPresent(server -> {
            host.set(server.host());
            port.set(Integer.toString(server.port()));
            security.set(server.security());
            username.set(server.username());
            password.set(server.password());
            connectTimeout.set(secondsOrBlank(server.connectTimeout(), SmtpSettings.DEFAULT_CONNECT_TIMEOUT));
            readTimeout.set(secondsOrBlank(server.readTimeout(), SmtpSettings.DEFAULT_READ_TIMEOUT));
            writeTimeout = server.writeTimeout();
            trustFingerprint.set(server.trustedFingerprint());
        });
        errors.clearAll();
    }

    // Commands

    /** Connects with what is in the form (not what is saved), so a server can be tried before saving. */
    public void testConnection() {
        if (testing.get()) {
            return;
        }
        showTest(Outcome.NONE, "");
        offeredFingerprint.set("");
        Optional<SmtpSettings> settings = validated();
        if (settings.isEmpty()) {
            return;
        }
        SmtpSettings target = settings.get();
        testing.set(true);
        tasks.run(() -> mailer.testConnection(target),
                report -> {
                    testing.set(false);
                    showTest(Outcome.SUCCESS, report.summary());
                },
                failure -> {
                    testing.set(false);
                    showTest(Outcome.DANGER, "Could not connect: " + failure.getMessage());
                    Matcher presented = PRESENTED_FINGERPRINT.matcher(String.valueOf(failure.getMessage()));
                    offeredFingerprint.set(presented.find() ? presented.group(1) : "");
                });
    }

    /**
     * Puts the fingerprint of the certificate the server just presented into the form. Nothing is
     * trusted until the operator saves: trusting a certificate is always their explicit choice.
     */
    public void trustOfferedCertificate() {
        if (!offeredFingerprint.get().isEmpty()) {
            // Without colons: 64 digits fit the field, 95 characters do not.
            trustFingerprint.set(CertificateFingerprint.normalize(offeredFingerprint.get()));
            offeredFingerprint.set("");
        }
    }

    private static String describeTrust(String text) {
        if (text == null || text.isBlank()) {
            return "The server's certificate must be signed by an authority this computer trusts, for the host name above.";
        }
        return "Only the certificate with this fingerprint is trusted for this server (for example a self-signed one);"
                + " the system's authorities and the host name are not consulted.";
    }

    public void save() {
        if (saving.get()) {
            return;
        }
        showSave(Outcome.NONE, "");
        boolean sink = useSink.get();
        if (sink && outgoing.builtInSink().isEmpty()) {
            showSave(Outcome.DANGER, "Not saved: the built-in SMTP sink is not running. Choose another SMTP server.");
            return;
        }
        Optional<SmtpSettings> settings = sink ? Optional.empty() : validated();
        if (!sink && settings.isEmpty()) {
            return;
        }
        saving.set(true);
        tasks.run(() -> {
                    if (sink) {
                        outgoing.useBuiltInSink();
                    } else {
                        outgoing.useServer(settings.get());
                    }
                    return outgoing.current().address();
                },
                address -> {
                    saving.set(false);
                    showSave(Outcome.SUCCESS, "Saved. New deliveries go to " + address + ".");
                    onSaved.run();
                },
                failure -> {
                    saving.set(false);
                    showSave(Outcome.DANGER, "Not saved: " + failure.getMessage());
                });
    }

    /** The settings in the form, or empty after putting a message next to each bad field. */
    Optional<SmtpSettings> validated() {
        errors.clearAll();
        if (useSink.get()) {
            Optional<SmtpSettings> sink = outgoing.builtInSink();
            if (sink.isEmpty()) {
                showTest(Outcome.DANGER, "The built-in SMTP sink is not running. Choose another SMTP server.");
            }
            return sink;
        }
        String hostText = host.get() == null ? "" : host.get().strip();
        try {
            Configuration.validHost(host.get());
        } catch (IllegalArgumentException e) {
            errors.set(Field.HOST, e.getMessage());
        }
        Integer portNumber = wholeNumber(port.get());
        if (portNumber == null || portNumber < 1 || portNumber > 65535) {
            errors.set(Field.PORT, "Enter the port as a number from 1 to 65535 (usually 25, 465 or 587).");
        }
        try {
            Configuration.validUsername(username.get());
        } catch (IllegalArgumentException e) {
            errors.set(Field.USERNAME, e.getMessage());
        }
        String fingerprint = "";
        try {
            fingerprint = CertificateFingerprint.normalize(trustFingerprint.get());
        } catch (IllegalArgumentException e) {
            errors.set(Field.TRUST_FINGERPRINT, e.getMessage());
        }
        Duration connect = timeout(connectTimeout.get(), Field.CONNECT_TIMEOUT);
        Duration read = timeout(readTimeout.get(), Field.READ_TIMEOUT);
        if (errors.any()) {
            return Optional.empty();
        }
        return Optional.of(new SmtpSettings(hostText, portNumber, security.get(), username.get(), password.get(),
                connect, read, writeTimeout, fingerprint));
    }

    /** Blank means the default; otherwise whole seconds. */
    private Duration timeout(String text, Field field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Integer seconds = wholeNumber(text);
        if (seconds == null || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
            errors.set(field, "Enter whole seconds from 1 to " + MAX_TIMEOUT_SECONDS + ", or leave empty for the default.");
            return null;
        }
        return Duration.ofSeconds(seconds);
    }

    private static Integer wholeNumber(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty() || trimmed.length() > 9 || !trimmed.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(trimmed);
    }

    private static String secondsOrBlank(Duration value, Duration fallback) {
        return value.equals(fallback) ? "" : Long.toString(value.toSeconds());
    }

    private void showTest(Outcome kind, String message) {
        testOutcome.set(kind);
        testResult.set(message);
    }

    private void showSave(Outcome kind, String message) {
        saveOutcome.set(kind);
        saveResult.set(message);
    }

    /** Words for the security choice, as an operator knows them from mail client setups. */
    public static String securityLabel(SmtpSecurity security) {
        return switch (security) {
            case NONE -> "None (plain SMTP)";
            case STARTTLS -> "STARTTLS (usually port 587)";
            case SSL -> "SSL/TLS from the start (usually port 465)";
        };
    }

    // Property accessors

    public BooleanProperty useSinkProperty() {
        return useSink;
    }

    public StringProperty hostProperty() {
        return host;
    }

    public StringProperty portProperty() {
        return port;
    }

    public ObjectProperty<SmtpSecurity> securityProperty() {
        return security;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public StringProperty connectTimeoutProperty() {
        return connectTimeout;
    }

    public StringProperty readTimeoutProperty() {
        return readTimeout;
    }

    public StringProperty trustFingerprintProperty() {
        return trustFingerprint;
    }

    public ReadOnlyStringProperty offeredFingerprintProperty() {
        return offeredFingerprint.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty trustNoteProperty() {
        return trustNote.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty passwordNoteProperty() {
        return passwordNote.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sinkLabelProperty() {
        return sinkLabel.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.property(field);
    }

    public ReadOnlyBooleanProperty testingProperty() {
        return testing.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty savingProperty() {
        return saving.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty testResultProperty() {
        return testResult.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> testOutcomeProperty() {
        return testOutcome.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty saveResultProperty() {
        return saveResult.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> saveOutcomeProperty() {
        return saveOutcome.getReadOnlyProperty();
    }
}
