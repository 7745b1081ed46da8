package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.core.jobs.query.JobState;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.text.NumberFormat;
import java.util.EnumMap;
import java.util.Map;

/** The state cards above the jobs table: how many jobs each state holds, as of the last read. */
public final class StateCardsModel {

    private final Map<JobState, ReadOnlyStringWrapper> counts = new EnumMap<>(JobState.class);

    StateCardsModel() {
        for (JobState state : JobCounts.SHOWN) {
            counts.put(state, new ReadOnlyStringWrapper("0"));
        }
    }

    void show(JobCounts read) {
        for (JobState state : JobCounts.SHOWN) {
            counts.get(state).set(NumberFormat.getIntegerInstance().format(read.of(state)));
        }
    }

    public ReadOnlyStringProperty countProperty(JobState state) {
        return counts.get(state).getReadOnlyProperty();
    }
}
