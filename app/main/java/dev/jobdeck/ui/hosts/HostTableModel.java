package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The table of every host the store knows, and the one selected: what the host actions and the test batch act
 * on. Written on the JavaFX thread only, from the reads of {@link HostsModel}.
 */
public final class HostTableModel {

    private final Clock clock;
    private UUID selectedHost;
    private boolean replacingRows;

    private final ObservableList<HostStatus> rows = FXCollections.observableArrayList();
    private final ObservableList<HostStatus> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyObjectWrapper<Optional<HostStatus>> selected = new ReadOnlyObjectWrapper<>(Optional.empty());

    HostTableModel(Clock clock) {
        this.clock = clock;
    }

    /** Shows a fresh read of the hosts; the selected host stays selected while it is still listed. */
    void show(List<HostStatus> hosts) {
        if (!hosts.equals(rows)) {
            replacingRows = true;
            try {
                rows.setAll(hosts);
            } finally {
                replacingRows = false;
            }
        }
        updateSelection();
    }

    /** The table's selected host; ignored while rows are replaced (the view selects the same host again after). */
    public void selectHost(UUID hostId) {
        if (replacingRows) {
            return;
        }
        selectedHost = hostId;
        updateSelection();
    }

    public Optional<UUID> selectedHostId() {
        return Optional.ofNullable(selectedHost);
    }

    private void updateSelection() {
        selected.set(rows.stream().filter(row -> row.id().equals(selectedHost)).findFirst());
    }

    public boolean isReplacingRows() {
        return replacingRows;
    }

    public ObservableList<HostStatus> rows() {
        return rowsView;
    }

    /** The selected host as last read: it changes with every read that changed the host, not only on a click. */
    public ReadOnlyObjectProperty<Optional<HostStatus>> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public ZoneId zone() {
        return clock.getZone();
    }

    public Instant now() {
        return clock.instant();
    }
}
