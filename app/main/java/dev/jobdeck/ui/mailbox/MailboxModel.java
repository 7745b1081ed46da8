package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.mail.SinkFaults;
import dev.jobdeck.ui.LatestValue;
import dev.jobdeck.ui.LivePoll;
import dev.jobdeck.ui.Refresher;
import dev.jobdeck.ui.TaskRunner;
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
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * State and commands of the Mailbox screen: what the built-in SMTP sink received, polled while the
 * screen is shown, and the sink's fault injection (refused recipients, a share of 451 replies,
 * latency, a hang, and taking the sink down and up again on the same port).
 */
public final class MailboxModel {

    static final long REFRESH_MILLIS = 1000;
    private static final DateTimeFormatter RECEIVED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

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
    private final Refresher refresher;
    private final ZoneId zone;
    private final LatestValue<Listing> latest;
    private final LivePoll live = new LivePoll();

    // Properties
    private final ObservableList<ReceivedMail> messages = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper count = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final StringProperty rejectAddress = new SimpleStringProperty("");
    private final ObjectProperty<RejectCode> rejectCode = new SimpleObjectProperty<>(RejectCode.PERMANENT);
    private final ReadOnlyStringWrapper rejectError = new ReadOnlyStringWrapper("");
    private final ObservableList<String> rejections = FXCollections.observableArrayList();
    private final StringProperty failPercent = new SimpleStringProperty("0");
    private final StringProperty latencyMillis = new SimpleStringProperty("0");
    private final ReadOnlyStringWrapper failPercentError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper latencyError = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper hanging = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper sinkUp = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper sinkBusy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper sinkState = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper faultSummary = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper faultsActive = new ReadOnlyBooleanWrapper(false);
    private final ObservableList<ReceivedMail> messagesView = FXCollections.unmodifiableObservableList(messages);
    private final ObservableList<String> rejectionsView = FXCollections.unmodifiableObservableList(rejections);

    /**
     * @param notice   what the console had to do to start the sink, e.g. a damaged mailbox file moved aside
     * @param uiThread where polled results are applied: {@code Platform::runLater} in the app
     */
    public MailboxModel(Optional<LocalSmtpSink> sink, Optional<String> notice, TaskRunner tasks, Refresher refresher,
                        Executor uiThread, ZoneId zone) {
        this.sink = sink;
        this.notice.set(notice.orElse(""));
        this.tasks = tasks;
        this.refresher = refresher;
        this.zone = zone;
        this.latest = new LatestValue<>(uiThread, this::apply);
        rejectAddress.addListener((obs, old, text) -> rejectError.set(""));
        failPercent.addListener((obs, old, text) -> failPercentError.set(""));
        latencyMillis.addListener((obs, old, text) -> latencyError.set(""));
        count.set(sink.isPresent() ? describeCount(0, 0) : "");
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

    /** Polls the sink every second on the refresher's thread until {@link #stopLive()}. */
    public void startLive() {
        if (sink.isEmpty()) {
            return;
        }
        LocalSmtpSink running = sink.get();
        live.start(refresher, REFRESH_MILLIS, () -> {
            // Stopped while the console closes: nothing to show, and no warning each second.
            if (running.isRunning()) {
                latest.publish(Listing.of(running));
            }
        });
    }

    public void stopLive() {
        live.stop();
    }

    /** Reads the sink once through the task runner. */
    public void refresh() {
        sink.ifPresent(running -> tasks.run(() -> Listing.of(running), this::apply, this::showProblem));
    }

    public void clear() {
        sink.ifPresent(running -> tasks.run(() -> {
            running.clear();
            return Listing.of(running);
        }, this::apply, this::showProblem));
    }

    public void addRejection() {
        if (sink.isEmpty()) {
            return;
        }
        String address = rejectAddress.get() == null ? "" : rejectAddress.get().strip();
        if (address.isEmpty()) {
            rejectError.set("Enter an address, or a pattern such as *@example.com.");
            return;
        }
        RejectCode code = Objects.requireNonNull(rejectCode.get());
        try {
            // An in-memory rule list, not I/O, so it is safe on the UI thread.
            sink.get().rejectRecipient(address, code.code, code.replyText);
        } catch (IllegalArgumentException e) {
            rejectError.set(e.getMessage());
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
            failPercentError.set("Enter a whole number from 0 to 100.");
        }
        Integer millis = wholeNumber(latencyMillis.get());
        if (millis == null || millis > SinkFaults.MAX_LATENCY.toMillis()) {
            latencyError.set("Enter whole milliseconds from 0 to " + SinkFaults.MAX_LATENCY.toMillis() + " (10 minutes).");
        }
        if (!failPercentError.get().isEmpty() || !latencyError.get().isEmpty()) {
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

    /**
     * One read of the sink: the newest messages the table lists (at most {@link LocalSmtpSink#LIST_LIMIT}) and how
     * many it holds in all, which the count shows.
     */
    record Listing(List<ReceivedMail> newest, int total) {
        static Listing of(LocalSmtpSink sink) {
            return new Listing(sink.messages(), sink.messageCount());
        }
    }

    /**
     * Replaces the rows only when something changed, and prepends when the sink only received more,
     * so the table keeps its selection and scroll position while mail arrives.
     */
    void apply(Listing listing) {
        problem.set("");
        count.set(describeCount(listing.total(), listing.newest().size()));
        List<ReceivedMail> fresh = listing.newest();
        boolean sameNewest = !fresh.isEmpty() && !messages.isEmpty() && fresh.get(0).equals(messages.get(0));
        if (fresh.size() == messages.size() && (fresh.isEmpty() || sameNewest)) {
            return;
        }
        int added = fresh.size() - messages.size();
        if (added > 0 && fresh.subList(added, fresh.size()).equals(messages)) {
            messages.addAll(0, fresh.subList(0, added));
        } else {
            messages.setAll(fresh);
        }
    }

    private void showProblem(Throwable failure) {
        problem.set("The built-in SMTP sink could not be read: " + failure.getMessage());
    }

    public String receivedText(ReceivedMail mail) {
        return RECEIVED.format(mail.receivedAt().atZone(zone));
    }

    /** Bytes as people read them: 812 B, 4.2 KB, 1.3 MB. */
    public static String sizeText(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** "2 messages", or past the list's limit "10,000 messages, the newest 1,000 listed". */
    static String describeCount(int total, int listed) {
        String messages = total == 1 ? "1 message" : String.format(java.util.Locale.ROOT, "%,d messages", total);
        return total > listed ? String.format(java.util.Locale.ROOT, "%s, the newest %,d listed", messages, listed) : messages;
    }

    // Property accessors

    public ObservableList<ReceivedMail> messages() {
        return messagesView;
    }

    public ReadOnlyStringProperty countProperty() {
        return count.getReadOnlyProperty();
    }

    /** Said once per start, e.g. that a damaged mailbox file was moved aside; empty when there is nothing to say. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public StringProperty rejectAddressProperty() {
        return rejectAddress;
    }

    public ObjectProperty<RejectCode> rejectCodeProperty() {
        return rejectCode;
    }

    public ReadOnlyStringProperty rejectErrorProperty() {
        return rejectError.getReadOnlyProperty();
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
        return failPercentError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty latencyErrorProperty() {
        return latencyError.getReadOnlyProperty();
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

    public ReadOnlyStringProperty sinkStateProperty() {
        return sinkState.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty faultSummaryProperty() {
        return faultSummary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty faultsActiveProperty() {
        return faultsActive.getReadOnlyProperty();
    }
}
