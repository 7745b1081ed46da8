package dev.jobdeck.ui.fx;

import dev.jobdeck.core.jobs.query.JobState;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.Optional;

/**
 * Which screen is shown, and requests from one screen to another ("show the jobs just queued").
 * Holds state only; the shell's controller turns it into nodes.
 */
public final class Navigation {

    private final ObjectProperty<Screen> current = new SimpleObjectProperty<>(Screen.COMPOSE);
    private final ObjectProperty<Optional<JobState>> jobsFilterRequest = new SimpleObjectProperty<>(Optional.empty());

    public ReadOnlyObjectProperty<Screen> currentProperty() {
        return current;
    }

    public void show(Screen screen) {
        current.set(screen);
    }

    /** Opens the Jobs screen filtered to {@code state}. */
    public void showJobs(Optional<JobState> state) {
        jobsFilterRequest.set(null);
        jobsFilterRequest.set(state);
        current.set(Screen.JOBS);
    }

    public ReadOnlyObjectProperty<Optional<JobState>> jobsFilterRequestProperty() {
        return jobsFilterRequest;
    }
}
