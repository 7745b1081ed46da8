package dev.jobdeck.ui.shell;

import dev.jobdeck.core.ScreenServices;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.StoreHealth;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** The status bar's text: which host runs, where mail goes, where data lives. Refreshed by the shell. */
public final class StatusModel {

    private final ScreenServices services;
    private final ReadOnlyStringWrapper host = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper smtp = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper data = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper storeProblem = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper storeSick = new ReadOnlyBooleanWrapper(false);

    public StatusModel(ScreenServices services) {
        this.services = services;
        refresh();
    }

    /** Reads only in-memory state, so it is safe to call on the JavaFX thread. */
    public void refresh() {
        StoreHealth health = services.storeHealth();
        host.set(!services.hostRunning() ? "Host stopped"
                : !health.isWell() ? "Host " + services.hostName() + " paused: the store cannot take writes"
                : "Host " + services.hostName() + " running · " + services.hostWorkers() + " workers");
        SmtpSettings current = services.outgoing().current();
        boolean sinkDown = services.outgoing().usesBuiltInSink() && services.sink().map(sink -> !sink.isRunning()).orElse(false);
        smtp.set((services.outgoing().usesBuiltInSink() ? "Outgoing: built-in sink " : "Outgoing: ") + current.address()
                + (sinkDown ? " (down; bring it back up on the Mailbox screen)" : ""));
        data.set("Data: " + services.dataDirectory());
        storeProblem.set(health.isWell() ? "" : "The store cannot take writes: " + health.message()
                + " Hosts take no new work until then; nothing accepted is lost.");
        storeSick.set(!health.isWell());
    }

    /** The shell's banner while the store is sick (decision 21); empty while it is well. */
    public ReadOnlyStringProperty storeProblemProperty() {
        return storeProblem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty storeSickProperty() {
        return storeSick.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty hostProperty() {
        return host.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty smtpProperty() {
        return smtp.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty dataProperty() {
        return data.getReadOnlyProperty();
    }
}
