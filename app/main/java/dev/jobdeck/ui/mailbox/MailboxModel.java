package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.ui.LatestValue;
import dev.jobdeck.ui.Refresher;
import dev.jobdeck.ui.TaskRunner;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/**
 * State and commands of the Mailbox screen: what the built-in SMTP sink received, polled while the
 * screen is shown, and the sink's fault-injection rules.
 */
public final class MailboxModel {

    static final long REFRESH_MILLIS = 1000;
    private static final DateTimeFormatter RECEIVED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The replies an operator can inject, and what each does to a job. */
    public enum RejectCode {
        PERMANENT(550, "5.1.1 mailbox unavailable (injected by JobDeck)", "550 permanent: the job fails"),
        TRANSIENT(451, "4.3.0 try again later (injected by JobDeck)", "451 transient: the job retries");

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
    private final LatestValue<List<ReceivedMail>> latest;
    private ScheduledFuture<?> live;

    // Properties
    private final ObservableList<ReceivedMail> messages = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper count = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final StringProperty rejectAddress = new SimpleStringProperty("");
    private final ObjectProperty<RejectCode> rejectCode = new SimpleObjectProperty<>(RejectCode.PERMANENT);
    private final ReadOnlyStringWrapper rejectError = new ReadOnlyStringWrapper("");
    // LocalSmtpSink cannot list its rules, so the model keeps what it added; it is the only writer in the UI.
    private final ObservableList<String> rejections = FXCollections.observableArrayList();
    private final ObservableList<ReceivedMail> messagesView = FXCollections.unmodifiableObservableList(messages);
    private final ObservableList<String> rejectionsView = FXCollections.unmodifiableObservableList(rejections);

    /** @param uiThread where polled results are applied: {@code Platform::runLater} in the app */
    public MailboxModel(Optional<LocalSmtpSink> sink, TaskRunner tasks, Refresher refresher, Executor uiThread, ZoneId zone) {
        this.sink = sink;
        this.tasks = tasks;
        this.refresher = refresher;
        this.zone = zone;
        this.latest = new LatestValue<>(uiThread, this::apply);
        rejectAddress.addListener((obs, old, text) -> rejectError.set(""));
        count.set(sink.isPresent() ? describeCount(0) : "");
    }

    public boolean sinkAvailable() {
        return sink.isPresent();
    }

    // Commands

    /** Polls the sink every second on the refresher's thread until {@link #stopLive()}. */
    public void startLive() {
        if (live != null || sink.isEmpty()) {
            return;
        }
        LocalSmtpSink running = sink.get();
        live = refresher.every(REFRESH_MILLIS, () -> {
            // Stopped while the console closes: nothing to show, and no warning each second.
            if (running.isRunning()) {
                latest.publish(running.messages());
            }
        });
    }

    public void stopLive() {
        if (live != null) {
            live.cancel(false);
            live = null;
        }
    }

    /** Reads the sink once through the task runner. */
    public void refresh() {
        sink.ifPresent(running -> tasks.run(running::messages, this::apply, this::showProblem));
    }

    public void clear() {
        sink.ifPresent(running -> tasks.run(() -> {
            running.clear();
            return running.messages();
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
        rejections.add(address + " → " + code.code + " " + code.replyText);
        rejectAddress.set("");
    }

    public void clearRejections() {
        sink.ifPresent(LocalSmtpSink::clearRejections);
        rejections.clear();
    }

    /**
     * Replaces the rows only when something changed, and prepends when the sink only received more,
     * so the table keeps its selection and scroll position while mail arrives.
     */
    void apply(List<ReceivedMail> fresh) {
        problem.set("");
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
        count.set(describeCount(fresh.size()));
    }

    private void showProblem(Throwable failure) {
        problem.set("The built-in SMTP sink could not be read: " + failure.getMessage());
    }

    public String receivedText(ReceivedMail mail) {
        return RECEIVED.format(mail.receivedAt().atZone(zone));
    }

    private static String describeCount(int n) {
        return n == 1 ? "1 message" : n + " messages";
    }

    // Property accessors

    public ObservableList<ReceivedMail> messages() {
        return messagesView;
    }

    public ReadOnlyStringProperty countProperty() {
        return count.getReadOnlyProperty();
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
}
