package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.ui.hosts.HostsModel.Field;
import dev.jobdeck.ui.hosts.HostsModel.PolicyStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The orphan timing: poll interval and server timeout of the hosts started from now on, the recovery time they
 * make for a crashed host's jobs (seen by the console, or not), and the last crash's measured times.
 */
public final class OrphanTimingModel {

    private final Supplier<HostPolicy> policy;
    private final PolicyStore policyStore;
    private final CommandRunner commands;
    private final HostInputs errors;

    private final StringProperty pollSeconds = new SimpleStringProperty("");
    private final StringProperty multiplicand = new SimpleStringProperty("");
    /** Whether a host that dies or is crashed is replaced by a new one (issue 19: it was, without a word). */
    private final BooleanProperty replaceDeadHosts = new SimpleBooleanProperty(true);
    private final ReadOnlyStringWrapper expectedSeen = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper expectedUnseen = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper measured = new ReadOnlyStringWrapper("no crash yet");
    private final ReadOnlyStringWrapper handedBack = new ReadOnlyStringWrapper("no crash yet");

    OrphanTimingModel(Supplier<HostPolicy> policy, PolicyStore policyStore, CommandRunner commands, HostInputs errors) {
        this.policy = policy;
        this.policyStore = policyStore;
        this.commands = commands;
        this.errors = errors;
        errors.clearOnEdit(pollSeconds, Field.POLL);
        errors.clearOnEdit(multiplicand, Field.MULTIPLICAND);
        // The policy is held in memory by the composition root: reading it here does no I/O.
        HostPolicy saved = policy.get();
        pollSeconds.set(Long.toString(saved.pollInterval().toSeconds()));
        multiplicand.set(Integer.toString(saved.timeoutMultiplicand()));
        replaceDeadHosts.set(saved.replaceDeadHosts());
    }

    /** After each read: the recovery times the current policy makes. */
    void showExpected(Duration seen, Duration unseen, HostPolicy now) {
        expectedSeen.set("up to " + HostTexts.duration(seen) + "  (one poll)");
        expectedUnseen.set("about " + HostTexts.duration(unseen) + "  (" + HostTexts.seconds(now.pollInterval())
                + " × (" + now.timeoutMultiplicand() + " + 1))");
    }

    /** After each read of the report: how long the last crash took to hand back its jobs and to finish them. */
    void showMeasured(ReportModel report) {
        measured.set(report.measuredRecovery());
        handedBack.set(report.handedBackAfter());
    }

    /** Saves poll interval and server-timeout multiplicand; hosts started from now on use them. */
    public void saveTiming() {
        Integer poll = errors.wholeNumber(pollSeconds.get(), 5, HostsModel.MAX_SECONDS, Field.POLL,
                "The poll interval must be at least 5 s (JobRunr's minimum), in whole seconds.");
        Integer times = errors.wholeNumber(multiplicand.get(), 4, 1000, Field.MULTIPLICAND,
                "The server timeout must be at least 4 poll intervals (JobRunr's minimum).");
        if (poll == null || times == null) {
            return;
        }
        // Read here, on the JavaFX thread, as the fields are: the save runs on a task thread.
        boolean replace = replaceDeadHosts.get();
        commands.run("Saving the orphan timing", () -> {
            HostPolicy current = policy.get();
            HostPolicy updated = new HostPolicy(Duration.ofSeconds(poll), times, current.recycleDeadline(), replace);
            policyStore.save(updated);
            return updated;
        }, saved -> "Saved: poll every " + HostTexts.seconds(saved.pollInterval()) + ", a silent host times out after "
                + saved.timeoutMultiplicand() + " polls. Hosts started from now on use this; running hosts keep"
                + " the timing they started with. " + (saved.replaceDeadHosts()
                ? "A host that dies or is crashed is replaced by a new one." : "A host that dies is not replaced."));
    }

    public StringProperty pollSecondsProperty() {
        return pollSeconds;
    }

    public BooleanProperty replaceDeadHostsProperty() {
        return replaceDeadHosts;
    }

    public StringProperty multiplicandProperty() {
        return multiplicand;
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.property(field);
    }

    public ReadOnlyStringProperty expectedSeenProperty() {
        return expectedSeen.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty expectedUnseenProperty() {
        return expectedUnseen.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty measuredProperty() {
        return measured.getReadOnlyProperty();
    }

    /** How long the console took to hand the last crashed host's jobs back to the queue. */
    public ReadOnlyStringProperty handedBackProperty() {
        return handedBack.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return commands.busyProperty();
    }
}
