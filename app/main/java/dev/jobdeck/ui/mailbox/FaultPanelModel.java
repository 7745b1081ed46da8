package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.SinkFaults;
import dev.jobdeck.ui.fx.FieldErrors;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Mailbox screen's fault panel (decision 5): the built-in sink's fault injection (refused recipients, a share of
 * 451 replies, latency, a hang) and taking the sink down and up again on the same port. Its rules live in the sink's
 * memory, so every command but the last is safe on the JavaFX thread.
 */
public final class FaultPanelModel {

    public enum Field { REJECT_ADDRESS, FAIL_PERCENT, LATENCY }

    /** The replies an operator can inject, and what each does to a job. */
    public enum RejectCode {
        PERMANENT(550, "5.1.1 mailbox unavailable (injected by JobDeck)", "550: the job fails for good"),
        TRANSIENT(451, "4.3.0 try again later (injected by JobDeck)", "451: the job is retried later");

        private final int code;
        private final String replyText;
        private final String label;

        RejectCode(int code, String replyText, String label) {
            this.code = code;
            this.replyText = replyText;
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Optional<LocalSmtpSink> sink;
    private final TaskRunner tasks;

    // Properties
    private final StringProperty rejectAddress = new SimpleStringProperty("");
    private final ObjectProperty<RejectCode> rejectCode = new SimpleObjectProperty<>(RejectCode.PERMANENT);
    private final ObservableList<String> rejections = FXCollections.observableArrayList();
    private final StringProperty failPercent = new SimpleStringProperty("0");
    private final StringProperty latencyMillis = new SimpleStringProperty("0");
    private final FieldErrors<Field> errors = new FieldErrors<>(Field.class);
    private final ReadOnlyBooleanWrapper hanging = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper sinkUp = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper sinkBusy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper sinkState = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper faultSummary = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper faultsActive = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ObservableList<String> rejectionsView = FXCollections.unmodifiableObservableList(rejections);

    public FaultPanelModel(Optional<LocalSmtpSink> sink, TaskRunner tasks) {
        this.sink = sink;
        this.tasks = tasks;
        errors.clearOnEdit(rejectAddress, Field.REJECT_ADDRESS);
        errors.clearOnEdit(failPercent, Field.FAIL_PERCENT);
        errors.clearOnEdit(latencyMillis, Field.LATENCY);
        sink.ifPresent(running -> {
            SinkFaults.Snapshot faults = running.faults().snapshot();
            failPercent.set(Integer.toString(faults.failPercent()));
            latencyMillis.set(Long.toString(faults.latency().toMillis()));
            showFaults();
        });
    }

    public boolean sinkAvailable() {
        return sink.isPresent();
    }

    // Commands

    public void addRejection() {
        if (sink.isEmpty()) {
            return;
        }
        String address = rejectAddress.get() == null ? "" : rejectAddress.get().strip();
        if (address.isEmpty()) {
            errors.set(Field.REJECT_ADDRESS, "Enter an address, or a pattern such as *@example.com.");
            return;
        }
        RejectCode code = Objects.requireNonNull(rejectCode.get());
        try {
            // An in-memory rule list, not I/O, so it is safe on the UI thread.
            sink.get().rejectRecipient(address, code.code, code.replyText);
        } catch (IllegalArgumentException e) {
            errors.set(Field.REJECT_ADDRESS, e.getMessage());
            return;
        }
        rejectAddress.set("");
        showFaults();
    }

    public void clearRejections() {
        sink.ifPresent(LocalSmtpSink::clearRejections);
        showFaults();
    }

    /**
     * Applies the failure share and the latency together, or neither: a bad value in either field gets
     * its message and changes nothing. In-memory settings of the sink, so safe on the UI thread.
     */
    public void applyFaults() {
        if (sink.isEmpty()) {
            return;
        }
        Integer percent = wholeNumber(failPercent.get());
        if (percent == null || percent > 100) {
            errors.set(Field.FAIL_PERCENT, "Enter a whole number from 0 to 100.");
        }
        Integer millis = wholeNumber(latencyMillis.get());
        if (millis == null || millis > SinkFaults.MAX_LATENCY.toMillis()) {
            errors.set(Field.LATENCY, "Enter whole milliseconds from 0 to " + SinkFaults.MAX_LATENCY.toMillis() + " (10 minutes).");
        }
        if (!errors.get(Field.FAIL_PERCENT).isEmpty() || !errors.get(Field.LATENCY).isEmpty()) {
            return;
        }
        sink.get().faults().failPercent(percent);
        sink.get().faults().latency(Duration.ofMillis(millis));
        showFaults();
    }

    /** While on, the sink accepts connections but never answers MAIL FROM; the Mailer's read timeout ends each attempt. */
    public void setHanging(boolean on) {
        sink.ifPresent(running -> running.faults().hang(on));
        showFaults();
    }

    /** Takes the sink down (connections refused) or brings it back on the same port, off the UI thread. */
    public void setSinkDown(boolean down) {
        if (sink.isEmpty() || sinkBusy.get() || down != sinkUp.get()) {
            return;
        }
        LocalSmtpSink running = sink.get();
        sinkBusy.set(true);
        problem.set("");
        tasks.run(() -> {
            if (down) {
                running.stop();
            } else {
                running.start();
            }
            return running.isRunning();
        }, up -> {
            sinkBusy.set(false);
            showFaults();
        }, failure -> {
            sinkBusy.set(false);
            showFaults();
            problem.set("The built-in SMTP sink could not be " + (down ? "stopped" : "started again") + ": " + failure.getMessage());
        });
    }

    /** Every fault off and the sink up: it answers like a healthy server again. */
    public void clearAllFaults() {
        if (sink.isEmpty()) {
            return;
        }
        sink.get().faults().clearAll();
        failPercent.set("0");
        latencyMillis.set("0");
        setSinkDown(false);
        showFaults();
    }

    private void showFaults() {
        if (sink.isEmpty()) {
            return;
        }
        LocalSmtpSink running = sink.get();
        SinkFaults.Snapshot faults = running.faults().snapshot();
        boolean up = running.isRunning();
        rejections.setAll(faults.rejections());
        hanging.set(faults.hanging());
        sinkUp.set(up);
        String address = running.host() + ":" + running.port();
        sinkState.set(up ? "Listening on " + address : "Down: connections to " + address + " are refused");
        List<String> active = new ArrayList<>();
        if (!up) {
            active.add("the sink is down");
        }
        if (faults.failPercent() > 0) {
            active.add(faults.failPercent() + " % of messages get 451");
        }
        if (!faults.latency().isZero()) {
            active.add(faults.latency().toMillis() + " ms latency per message");
        }
        if (faults.hanging()) {
            active.add("hanging at MAIL FROM");
        }
        if (!faults.rejections().isEmpty()) {
            active.add(faults.rejections().size() == 1 ? "1 refusal rule" : faults.rejections().size() + " refusal rules");
        }
        faultsActive.set(!active.isEmpty());
        faultSummary.set(active.isEmpty() ? "No faults: the sink answers like a healthy server."
                : "In force: " + String.join(" · ", active) + ".");
    }

    private static Integer wholeNumber(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty() || trimmed.length() > 9 || !trimmed.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(trimmed);
    }

    // Property accessors

    public StringProperty rejectAddressProperty() {
        return rejectAddress;
    }

    public ObjectProperty<RejectCode> rejectCodeProperty() {
        return rejectCode;
    }

    public ReadOnlyStringProperty rejectErrorProperty() {
        return errors.property(Field.REJECT_ADDRESS);
    }

    public ObservableList<String> rejections() {
        return rejectionsView;
    }

    public StringProperty failPercentProperty() {
        return failPercent;
    }

    public StringProperty latencyMillisProperty() {
        return latencyMillis;
    }

    public ReadOnlyStringProperty failPercentErrorProperty() {
        return errors.property(Field.FAIL_PERCENT);
    }

    public ReadOnlyStringProperty latencyErrorProperty() {
        return errors.property(Field.LATENCY);
    }

    public ReadOnlyBooleanProperty hangingProperty() {
        return hanging.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty sinkUpProperty() {
        return sinkUp.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty sinkBusyProperty() {
        return sinkBusy.getReadOnlyProperty();
    }

    /** Listening or down, with the sink's address; shown in the Mailbox screen's header. */
    public ReadOnlyStringProperty sinkStateProperty() {
        return sinkState.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty faultSummaryProperty() {
        return faultSummary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty faultsActiveProperty() {
        return faultsActive.getReadOnlyProperty();
    }

    /** Why the sink could not be taken down or brought back; empty otherwise. Shown in the Mailbox screen's banner. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }
}
