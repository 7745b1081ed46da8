package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.ui.hosts.HostsModel.Field;
import dev.jobdeck.ui.fx.Banner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A test batch: e-mails to the built-in sink's test recipients, handed to the selected in-memory host or queued
 * as JobRunr jobs, so that a crash has work in flight to lose or to keep.
 */
public final class TestBatchModel {

    static final int MAX_TEST_BATCH = 1000;
    static final String TEST_SENDER = "jobdeck@example.test";
    private static final DateTimeFormatter BATCH_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final EmailQueue queue;
    private final HostTableModel table;
    private final CommandRunner commands;
    private final HostInputs errors;
    private final Banner banner;
    private final Clock clock;

    private final StringProperty batchSize = new SimpleStringProperty("20");
    private final ReadOnlyStringWrapper batchTarget = new ReadOnlyStringWrapper("");

    TestBatchModel(EmailQueue queue, HostTableModel table, CommandRunner commands, HostInputs errors, Banner banner,
                   Clock clock) {
        this.queue = queue;
        this.table = table;
        this.commands = commands;
        this.errors = errors;
        this.banner = banner;
        this.clock = clock;
        errors.clearOnEdit(batchSize, Field.BATCH_SIZE);
        table.selectedProperty().addListener((obs, old, host) -> showTarget(host));
        showTarget(table.selectedProperty().get());
    }

    private void showTarget(Optional<HostStatus> host) {
        batchTarget.set(host.filter(h -> h.kind() == HostRecord.Kind.IN_MEMORY)
                .map(h -> "Hand to " + h.name())
                .orElse("Send as JobRunr jobs"));
    }

    /**
     * Sends a batch of test e-mails to the built-in sink's test recipients: to the selected host's in-memory
     * queue when an in-memory host is selected, otherwise as JobRunr jobs that any JobRunr host may run.
     */
    public void sendTestBatch() {
        Integer size = errors.wholeNumber(batchSize.get(), 1, MAX_TEST_BATCH, Field.BATCH_SIZE,
                "Enter how many e-mails to send, from 1 to " + MAX_TEST_BATCH + ".");
        if (size == null) {
            return;
        }
        Optional<HostStatus> memoryHost = table.selectedProperty().get().filter(h -> h.kind() == HostRecord.Kind.IN_MEMORY);
        if (memoryHost.isPresent() && !memoryHost.get().isLive()) {
            banner.show(Banner.Tone.DANGER, memoryHost.get().name() + " is " + HostTexts.state(memoryHost.get().state())
                    .toLowerCase() + ": start a new in-memory host, or select none to send JobRunr jobs.");
            return;
        }
        SendRequest request = testBatch(size, LocalTime.now(clock));
        if (memoryHost.isPresent()) {
            HostStatus host = memoryHost.get();
            commands.run("Handing the test batch to " + host.name(), () -> queue.handToMemoryHost(request, host.id()),
                    result -> "Handed " + HostTexts.emails(size) + " to " + host.name() + "'s in-memory queue (batch "
                            + shortId(result) + "). Crash it to see what it loses.");
        } else {
            commands.run("Queueing the test batch", () -> queue.queue(request),
                    result -> "Queued " + HostTexts.emails(size) + " as durable JobRunr jobs (batch " + shortId(result)
                            + "). Crash hosts while they run: none is lost.");
        }
    }

    static SendRequest testBatch(int size, LocalTime at) {
        String recipients = IntStream.rangeClosed(1, size).mapToObj(i -> "user" + i + "@example.test")
                .collect(Collectors.joining("\n"));
        return new SendRequest(TEST_SENDER, recipients, "", "", "JobDeck test batch " + BATCH_TIME.format(at),
                "A test e-mail sent from the Hosts screen to see which e-mails survive a crash.", When.now());
    }

    private static String shortId(QueueResult result) {
        return result.batchId().toString().substring(0, 8);
    }

    public StringProperty batchSizeProperty() {
        return batchSize;
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.property(field);
    }

    /** The test batch button's text: where the batch goes, which depends on the selected host. */
    public ReadOnlyStringProperty batchTargetProperty() {
        return batchTarget.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return commands.busyProperty();
    }
}
