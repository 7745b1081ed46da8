package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.ui.fx.LiveSnapshot;
import dev.jobdeck.ui.fx.Refresher;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * State and commands of the Mailbox screen's message list: what the built-in SMTP sink received, polled while the
 * screen is shown. The sink's fault injection is a model of its own, {@link #faults()}, built here so that the fault
 * panel and this screen's header (the sink's state) show the same one.
 */
public final class MailboxModel {

    static final long REFRESH_MILLIS = 1000;
    private static final DateTimeFormatter RECEIVED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Optional<LocalSmtpSink> sink;
    private final TaskRunner tasks;
    private final Refresher refresher;
    private final ZoneId zone;
    private final Executor uiThread;
    private final LiveSnapshot<Listing> live;
    private final FaultPanelModel faults;

    // Properties
    private final ObservableList<ReceivedMail> messages = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper count = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ObservableList<ReceivedMail> messagesView = FXCollections.unmodifiableObservableList(messages);

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
        this.uiThread = uiThread;
        // Stopped while the console closes: nothing to show (a null read), and no warning each second.
        this.live = new LiveSnapshot<>(REFRESH_MILLIS,
                () -> sink.filter(LocalSmtpSink::isRunning).map(Listing::of).orElse(null), this::apply);
        count.set(sink.isPresent() ? describeCount(0, 0) : "");
        faults = new FaultPanelModel(sink, tasks);
    }

    /** The fault panel's model, for the panel and for the sink's state in the header. */
    public FaultPanelModel faults() {
        return faults;
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
        live.start(refresher, uiThread);
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
}
