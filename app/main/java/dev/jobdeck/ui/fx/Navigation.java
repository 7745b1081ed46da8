package dev.jobdeck.ui.fx;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.jobrunr.jobs.states.StateName;

import java.util.Optional;

/**
 * Which screen is shown, and requests from one screen to another ("show the jobs just queued").
 * Holds state only; the shell's controller turns it into nodes.
 */
public final class Navigation {

    private final ObjectProperty<Screen> current = new SimpleObjectProperty<>(Screen.COMPOSE);
    private final ObjectProperty<Optional<StateName>> jobsFilterRequest = new SimpleObjectProperty<>(Optional.empty());

    public ReadOnlyObjectProperty<Screen> currentProperty() {
        return current;
    }

    public void show(Screen screen) {
        current.set(screen);
    }

    /** Opens the Jobs screen filtered to {@code state}. */
    public void showJobs(Optional<StateName> state) {
        jobsFilterRequest.set(null);
        jobsFilterRequest.set(state);
        current.set(Screen.JOBS);
    }

    public ReadOnlyObjectProperty<Optional<StateName>> jobsFilterRequestProperty() {
        return jobsFilterRequest;
    }
}
