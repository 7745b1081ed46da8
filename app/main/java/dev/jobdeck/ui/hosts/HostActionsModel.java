package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.ui.hosts.HostsModel.Field;
import dev.jobdeck.ui.hosts.HostsModel.PolicyStore;
import dev.jobdeck.ui.fx.Banner;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Start hosts, and crash, restart, recycle, drain or stop the selected one ({@link HostTableModel}): the host
 * actions of the Hosts screen. A recycle asked for here is followed until its host has stopped.
 */
public final class HostActionsModel {

    public static final int MAX_START = 32;
    static final int MAX_WORKERS = 256;

    /** What "Start" starts. */
    public enum StartKind {
        JOBRUNR("JobRunr worker", "JobRunr worker", HostRecord.Kind.WORKER),
        IN_MEMORY("In-memory queue (QueueBackgroundWorkItem baseline)", "In-memory queue", HostRecord.Kind.IN_MEMORY);

        private final String label;
        private final String shortLabel;
        private final HostRecord.Kind kind;

        StartKind(String label, String shortLabel, HostRecord.Kind kind) {
            this.label = label;
            this.shortLabel = shortLabel;
            this.kind = kind;
        }

        /** In the list of choices. */
        public String label() {
            return label;
        }

        /** On the closed choice box, where space is short. */
        public String shortLabel() {
            return shortLabel;
        }

        public HostRecord.Kind kind() {
            return kind;
        }
    }

    /** A recycle asked for on this screen, followed until its host has stopped, when the banner says how it went. */
    private record Recycling(UUID hostId, String name, Instant since, int deadlineSeconds) {
    }

    private final HostSupervisor supervisor;
    private final Supplier<HostPolicy> policy;
    private final PolicyStore policyStore;
    private final HostTableModel table;
    private final CommandRunner commands;
    private final HostInputs errors;
    private final Banner banner;
    private final Clock clock;
    /** Only the UI thread reads and writes it. */
    private Recycling recycling;

    // Properties: inputs, bound both ways by the view
    private final ObjectProperty<Integer> startCount = new SimpleObjectProperty<>(1);
    private final ObjectProperty<StartKind> startKind = new SimpleObjectProperty<>(StartKind.JOBRUNR);
    private final StringProperty workersEach = new SimpleStringProperty("16");
    private final StringProperty recycleDeadline = new SimpleStringProperty("");

    // Properties: derived from the selected host, read-only to the view
    private final ReadOnlyBooleanWrapper canCrash = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canStop = new ReadOnlyBooleanWrapper(false);
    /** A live host this console did not start, on any machine: drained or stopped through the store (decision 40). */
    private final ReadOnlyBooleanWrapper canCommand = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper selectionText = new ReadOnlyStringWrapper("");

    HostActionsModel(HostSupervisor supervisor, Supplier<HostPolicy> policy, PolicyStore policyStore,
                     HostTableModel table, CommandRunner commands, HostInputs errors, Banner banner, Clock clock) {
        this.supervisor = supervisor;
        this.policy = policy;
        this.policyStore = policyStore;
        this.table = table;
        this.commands = commands;
        this.errors = errors;
        this.banner = banner;
        this.clock = clock;
        errors.clearOnEdit(workersEach, Field.WORKERS);
        errors.clearOnEdit(recycleDeadline, Field.RECYCLE_DEADLINE);
        // The policy is held in memory by the composition root: reading it here does no I/O.
        recycleDeadline.set(Long.toString(policy.get().recycleDeadline().toSeconds()));
        table.selectedProperty().addListener((obs, old, host) -> showSelection(host));
        showSelection(table.selectedProperty().get());
    }

    private void showSelection(Optional<HostStatus> host) {
        canCrash.set(host.map(h -> h.local() && h.isLive()).orElse(false));
        canStop.set(host.map(h -> h.local() && h.state() == HostStatus.State.RUNNING).orElse(false));
        canCommand.set(host.map(h -> !h.local() && h.state() == HostStatus.State.RUNNING
                && h.kind() != HostRecord.Kind.IN_MEMORY).orElse(false));
        selectionText.set(host.map(h -> h.name() + " · " + HostTexts.kind(h.kind()) + " · " + HostTexts.state(h.state())
                        + (h.local() || !h.isLive() ? "" : " · on " + (h.machine() == null ? "another process"
                        : h.machine()) + ": drain or stop it through the store"))
                .orElse("Select a host to crash, recycle or restart it"));
    }

    // Commands

    /** Starts the chosen number of worker JVMs; a worker needs a few seconds before it shows as running. */
    public void startHosts() {
        Integer workers = errors.wholeNumber(workersEach.get(), 1, MAX_WORKERS, Field.WORKERS,
                "Enter the workers per host as a number from 1 to " + MAX_WORKERS + ".");
        int count = startCount.get() == null ? 1 : startCount.get();
        StartKind kind = Objects.requireNonNull(startKind.get());
        if (workers == null) {
            return;
        }
        commands.run("Starting hosts", () -> supervisor.startWorkers(count, kind.kind(), workers),
                names -> "Started " + String.join(", ", names) + " (" + kind.label() + ", " + workers
                        + " workers each). A worker takes a few seconds to start.");
    }

    /** {@code kill -9} of the selected worker, or an abrupt stop of the console's own host. */
    public void crashSelected() {
        Optional<HostStatus> host = table.selectedProperty().get();
        if (host.isEmpty() || !canCrash.get()) {
            return;
        }
        HostStatus target = host.get();
        commands.run("Crashing " + target.name(), () -> {
            supervisor.crash(target.id());
            return target;
        }, crashed -> crashMessage(crashed, policy.get().replaceDeadHosts()));
    }

    /**
     * What a crash did, in the words of what happened to the host's work (issue 19): an in-memory queue's e-mails are
     * lost with it, a JobRunr host's jobs go back to the queue; and whether a replacement starts.
     */
    static String crashMessage(HostStatus crashed, boolean replaced) {
        String replacement = replaced ? " A replacement starts (Orphan timing: replace a host that dies)."
                : " No replacement starts (Orphan timing: replace a host that dies is off).";
        return switch (crashed.kind()) {
            case CONSOLE -> "Crashed the console's own host " + crashed.name() + " (stopped abruptly in-process: a"
                    + " console cannot kill -9 itself). Its jobs in flight went back to the queue at once." + replacement;
            case IN_MEMORY -> "Crashed " + crashed.name() + " with kill -9. It was an in-memory queue, like"
                    + " QueueBackgroundWorkItem: the e-mails it held are lost with it, and nothing hands them back. The"
                    + " survival report counts them." + replacement;
            default -> "Crashed " + crashed.name() + " with kill -9. The console saw it exit and handed its jobs in"
                    + " flight back to the queue: see the survival report." + replacement;
        };
    }

    /** Recycles the selected host with the deadline in the form, saved as the policy's deadline when it changed. */
    public void recycleSelected() {
        Optional<HostStatus> host = table.selectedProperty().get();
        Integer seconds = errors.wholeNumber(recycleDeadline.get(), 1, HostsModel.MAX_SECONDS, Field.RECYCLE_DEADLINE,
                "The recycle deadline must be more than 0 s (at most " + HostsModel.MAX_SECONDS + " s).");
        if (seconds == null || host.isEmpty() || !canStop.get()) {
            return;
        }
        HostStatus target = host.get();
        Duration deadline = Duration.ofSeconds(seconds);
        commands.run("Recycling " + target.name(), () -> {
            HostPolicy current = policy.get();
            if (!current.recycleDeadline().equals(deadline)) {
                policyStore.save(new HostPolicy(current.pollInterval(), current.timeoutMultiplicand(), deadline,
                        current.replaceDeadHosts()));
            }
            // Timed from the request, not from when the screen hears that it was made.
            Instant asked = clock.instant();
            supervisor.recycle(target.id(), deadline);
            return new Recycling(target.id(), target.name(), asked, seconds);
        }, recycled -> {
            recycling = recycled;
            return "Recycling " + recycled.name() + ": it takes no new work and has up to " + seconds
                    + " s to finish its jobs in flight; then it stops and a replacement starts.";
        });
    }

    /** The banner tells of the latest command only: a recycle asked for earlier is no longer followed. */
    void forgetRecycle() {
        recycling = null;
    }

    /** After each read: once the recycled host has stopped, the banner says how long it took and who replaces it. */
    void followRecycle(Optional<SurvivalReport> report) {
        Recycling followed = recycling;
        if (followed == null) {
            return;
        }
        Optional<HostStatus> ended = table.rows().stream()
                .filter(row -> row.id().equals(followed.hostId()) && !row.isLive()).findFirst();
        if (ended.isEmpty()) {
            return;
        }
        HostStatus host = ended.get();
        String took = host.stoppedAt() == null ? ""
                : " in " + HostTexts.duration(Duration.between(followed.since(), host.stoppedAt()));
        Optional<String> replacement = report.stream().flatMap(read -> read.incidents().stream())
                .filter(incident -> incident.host().equals(followed.name())
                        && incident.action() == Incident.Action.RECYCLE && incident.replacement() != null)
                .map(SurvivalReport.IncidentReport::replacement).findFirst();
        banner.show(Banner.Tone.SUCCESS, "Recycled " + followed.name() + took + " (deadline " + followed.deadlineSeconds()
                + " s); " + replacement.map(name -> name + " replaces it.").orElse("a replacement is starting."));
        if (replacement.isPresent()) {
            recycling = null;   // followed until the replacement is known
        }
    }

    /** Stops the selected host now (its running jobs are handed back) and starts a replacement. */
    public void restartSelected() {
        Optional<HostStatus> host = table.selectedProperty().get();
        if (host.isEmpty() || !canStop.get()) {
            return;
        }
        HostStatus target = host.get();
        commands.run("Restarting " + target.name(), () -> {
            supervisor.restart(target.id());
            return target;
        }, restarted -> "Restarting " + restarted.name() + ": its running jobs are handed back to the queue and a"
                + " replacement starts.");
    }

    /**
     * Drain of a host this console did not start (on this machine or another), with the deadline in the form: asked
     * through the store, which the host reads within a second; the table shows it draining, then stopped.
     */
    public void drainSelected() {
        Optional<HostStatus> host = table.selectedProperty().get();
        Integer seconds = errors.wholeNumber(recycleDeadline.get(), 1, HostsModel.MAX_SECONDS, Field.RECYCLE_DEADLINE,
                "The drain deadline must be more than 0 s (at most " + HostsModel.MAX_SECONDS + " s).");
        if (seconds == null || host.isEmpty() || !canCommand.get()) {
            return;
        }
        HostStatus target = host.get();
        commands.run("Draining " + target.name(), () -> supervisor.command(target.id(), HostCommands.Command.DRAIN,
                Duration.ofSeconds(seconds)), id -> "Asked " + target.name() + " to drain: it takes no new work, has up"
                + " to " + seconds + " s to finish its jobs in flight, hands back the rest and stops.");
    }

    /** Stop of a host this console did not start: it hands its running jobs back and stops. */
    public void stopSelected() {
        Optional<HostStatus> host = table.selectedProperty().get();
        if (host.isEmpty() || !canCommand.get()) {
            return;
        }
        HostStatus target = host.get();
        commands.run("Stopping " + target.name(), () -> supervisor.command(target.id(), HostCommands.Command.STOP, null),
                id -> "Asked " + target.name() + " to stop: it hands its running jobs back to the queue and stops.");
    }

    // Accessors

    public List<StartKind> startKinds() {
        return List.of(StartKind.values());
    }

    public ObjectProperty<Integer> startCountProperty() {
        return startCount;
    }

    public ObjectProperty<StartKind> startKindProperty() {
        return startKind;
    }

    public StringProperty workersEachProperty() {
        return workersEach;
    }

    public StringProperty recycleDeadlineProperty() {
        return recycleDeadline;
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.property(field);
    }

    public ReadOnlyBooleanProperty canCrashProperty() {
        return canCrash.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStopProperty() {
        return canStop.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canCommandProperty() {
        return canCommand.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty selectionTextProperty() {
        return selectionText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return commands.busyProperty();
    }
}
