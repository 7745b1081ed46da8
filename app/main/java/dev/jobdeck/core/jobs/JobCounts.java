package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Jobs per state at one moment; states with no jobs count 0. */
public record JobCounts(Map<JobState, Long> byState) {

    /** The states the dashboard shows, in the order a job moves through them. */
    public static final JobState[] SHOWN = {
            JobState.SCHEDULED, JobState.ENQUEUED, JobState.PROCESSING,
            JobState.SUCCEEDED, JobState.FAILED, JobState.DELETED};

    public JobCounts {
        byState = Collections.unmodifiableMap(new EnumMap<>(byState.isEmpty() ? Map.of(JobState.ENQUEUED, 0L) : byState));
    }

    public long of(JobState state) {
        return byState.getOrDefault(state, 0L);
    }

    public long total() {
        return byState.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Lower-case state name to count, in {@link #SHOWN} order: the shape {@code status --json} prints. */
    public Map<String, Long> asNamedMap() {
        Map<String, Long> named = new LinkedHashMap<>();
        for (JobState state : SHOWN) {
            named.put(state.name().toLowerCase(), of(state));
        }
        return named;
    }
}
