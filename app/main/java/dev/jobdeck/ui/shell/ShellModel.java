package dev.jobdeck.ui.shell;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.nio.file.Path;

/**
 * The window's own state while the console starts: the window shows at once, with the store still
 * opening on a background thread. The title says so until the first screen is live, so operators (and
 * scripts such as {@code installers/check}, which wait for the plain title) can tell the two apart.
 */
public final class ShellModel {

    public enum Phase { OPENING, LIVE, FAILED }

    private final Path dataDir;
    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(Phase.OPENING);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper();

    public ShellModel(Path dataDir) {
        this.dataDir = dataDir;
        title.set(liveTitle(dataDir) + " (opening…)");
        message.set("Opening the store at " + dataDir + "…");
    }

    /** The window's title once the console is live: {@code JobDeck — <data directory>}. */
    public static String liveTitle(Path dataDir) {
        return "JobDeck — " + dataDir;
    }

    // Commands

    /** The services are open and the first screen is attached. */
    public void live() {
        phase.set(Phase.LIVE);
        message.set("");
        title.set(liveTitle(dataDir));
    }

    /** The store could not be opened: {@code reason} says why, in the operator's terms. */
    public void failed(String reason) {
        phase.set(Phase.FAILED);
        message.set("JobDeck cannot open its data directory.\n" + reason);
        title.set(liveTitle(dataDir) + " (cannot open)");
    }

    // Properties

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** What the content area says while there is no screen to show; empty once live. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }
}
