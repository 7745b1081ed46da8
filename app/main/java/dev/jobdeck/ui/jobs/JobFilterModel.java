package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.query.JobSearch;
import dev.jobdeck.core.jobs.query.JobState;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which jobs the table shows: the state (the filter box and the state cards), the search box's text and the time
 * range of the bulk bar. Each change reads the first page of what now matches.
 */
public final class JobFilterModel {

    private final JobsQuery.Current query;

    // Properties
    private final ReadOnlyObjectWrapper<Optional<JobState>> state = new ReadOnlyObjectWrapper<>(Optional.empty());
    private final ReadOnlyStringWrapper searchProblem = new ReadOnlyStringWrapper("");

    JobFilterModel(JobsQuery.Current query) {
        this.query = query;
    }

    // Commands

    /** Shows only jobs in {@code newState} (all when empty), from the first page. */
    public void setFilter(Optional<JobState> newState) {
        if (newState == null || newState.equals(state.get())) {
            return;
        }
        state.set(newState);
        JobsQuery current = query.get();
        query.change(current.withFilter(current.filter().withState(newState)));
    }

    /** A state card click: filter to that state, or back to all when it is already the filter. */
    public void toggleFilter(JobState clicked) {
        setFilter(state.get().equals(Optional.of(clicked)) ? Optional.empty() : Optional.of(clicked));
    }

    /**
     * Shows only jobs the search box's text finds (see {@link JobSearch.SearchKind}: a job id or its start, an
     * address or its start, {@code @domain}, a subject's start), from the first page; blank shows all. Text longer
     * than a search takes is refused with a message by the box, and the table stays as it was.
     */
    public void setSearch(String text) {
        JobsQuery current = query.get();
        JobFilter wanted;
        try {
            wanted = current.filter().withSearch(text);
        } catch (IllegalArgumentException e) {
            searchProblem.set(e.getMessage());
            return;
        }
        searchProblem.set("");
        if (!wanted.equals(current.filter())) {
            query.change(current.withFilter(wanted));
        }
    }

    /** Shows only jobs last updated in this range (either end open when empty), from the first page. */
    public void setRange(Optional<Instant> since, Optional<Instant> until) {
        JobsQuery current = query.get();
        JobFilter filter = current.filter();
        if (!since.equals(filter.since()) || !until.equals(filter.until())) {
            query.change(current.withFilter(filter.withRange(since, until)));
        }
    }

    /** The jobs the table shows, on every page: state, search and time range. */
    public JobFilter matching() {
        return query.get().filter();
    }

    public List<Optional<JobState>> filterChoices() {
        List<Optional<JobState>> choices = new ArrayList<>();
        choices.add(Optional.empty());
        for (JobState shown : JobCounts.SHOWN) {
            choices.add(Optional.of(shown));
        }
        return choices;
    }

    public static String filterTitle(Optional<JobState> state) {
        return state == null ? "" : state.map(JobQueries::title).orElse("All");
    }

    // Properties

    public ReadOnlyObjectProperty<Optional<JobState>> filterProperty() {
        return state.getReadOnlyProperty();
    }

    /** Why the search box's text was refused; empty when it was taken. */
    public ReadOnlyStringProperty searchProblemProperty() {
        return searchProblem.getReadOnlyProperty();
    }
}
