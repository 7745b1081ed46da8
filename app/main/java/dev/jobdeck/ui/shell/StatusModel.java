package dev.jobdeck.ui.shell;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSettings;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** The status bar's text: which host runs, where mail goes, where data lives. Refreshed by the shell. */
public final class StatusModel {

    private final ConsoleServices services;
    private final ReadOnlyStringWrapper host = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper smtp = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper data = new ReadOnlyStringWrapper("");

    public StatusModel(ConsoleServices services) {
        this.services = services;
        refresh();
    }

    /** Reads only in-memory state, so it is safe to call on the JavaFX thread. */
    public void refresh() {
        host.set(services.engine().isServerRunning()
                ? "Host " + services.hostName() + " running · " + services.engine().settings().workers() + " workers"
                : "Host stopped");
        SmtpSettings current = services.outgoing().current();
        boolean sinkDown = services.outgoing().usesBuiltInSink() && services.sink().map(sink -> !sink.isRunning()).orElse(false);
        smtp.set((services.outgoing().usesBuiltInSink() ? "Outgoing: built-in sink " : "Outgoing: ") + current.address()
                + (sinkDown ? " (down; bring it back up on the Mailbox screen)" : ""));
        data.set("Data: " + services.directory().path());
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
