package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.ui.hosts.HostsModel.Field;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Duration;
import java.util.Optional;

/** Crash all, and chaos: a random live host crashed every few seconds until it is turned off. */
public final class ChaosModel {

    private final HostSupervisor supervisor;
    private final HostTableModel table;
    private final CommandRunner commands;
    private final HostInputs errors;

    private final StringProperty chaosSeconds = new SimpleStringProperty("10");
    private final ReadOnlyBooleanWrapper chaosOn = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper chaosText = new ReadOnlyStringWrapper("Off");

    ChaosModel(HostSupervisor supervisor, HostTableModel table, CommandRunner commands, HostInputs errors) {
        this.supervisor = supervisor;
        this.table = table;
        this.commands = commands;
        this.errors = errors;
        errors.clearOnEdit(chaosSeconds, Field.CHAOS_INTERVAL);
    }

    /** After each read: whether chaos runs, and how many hosts it crashed. */
    void show(Optional<Duration> every, int crashes) {
        boolean on = every.isPresent();
        chaosOn.set(on);
        chaosText.set(on ? crashes + " crashed so far, one every " + HostTexts.seconds(every.get())
                : crashes == 0 ? "Off" : "Off · " + crashes + " crashed");
    }

    /** The question to ask before Crash all. */
    public String crashAllQuestion() {
        long live = table.rows().stream().filter(h -> h.local() && h.isLive()).count();
        return "Crash all " + live + " live " + (live == 1 ? "host" : "hosts") + " this console runs, its own in-process"
                + " host included? Their jobs in flight go back to the queue; in-memory queues lose what they hold.";
    }

    public void crashAll() {
        commands.run("Crash all", supervisor::crashAll, crashed -> "Crashed " + crashed + (crashed == 1 ? " host" : " hosts")
                + ". Replacements start when the host policy replaces dead hosts; see the survival report.");
    }

    /** Turns chaos on (a random live host crashed every interval) or off. */
    public void setChaos(boolean on) {
        if (!on) {
            commands.run("Stopping chaos", () -> {
                supervisor.stopChaos();
                return supervisor.chaosCrashes();
            }, crashes -> "Chaos off. It crashed " + crashes + (crashes == 1 ? " host" : " hosts") + " in all.");
            return;
        }
        Integer seconds = errors.wholeNumber(chaosSeconds.get(), 1, HostsModel.MAX_SECONDS, Field.CHAOS_INTERVAL,
                "Enter how often to crash a host, in whole seconds from 1 to " + HostsModel.MAX_SECONDS + ".");
        if (seconds == null) {
            return;
        }
        commands.run("Starting chaos", () -> {
            supervisor.startChaos(Duration.ofSeconds(seconds));
            return seconds;
        }, every -> "Chaos on: a random live host is crashed every " + every + " s until you turn it off.");
    }

    public StringProperty chaosSecondsProperty() {
        return chaosSeconds;
    }

    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.property(field);
    }

    public ReadOnlyBooleanProperty chaosOnProperty() {
        return chaosOn.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty chaosTextProperty() {
        return chaosText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return commands.busyProperty();
    }
}
