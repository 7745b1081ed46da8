package dev.jobdeck.core.jobs;

import org.jobrunr.jobs.states.StateName;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Jobs per JobRunr state at one moment; states with no jobs count 0. */
public record JobCounts(Map<StateName, Long> byState) {

    /** The states the dashboard shows, in the order a job moves through them. */
    public static final StateName[] SHOWN = {
            StateName.SCHEDULED, StateName.ENQUEUED, StateName.PROCESSING,
            StateName.SUCCEEDED, StateName.FAILED, StateName.DELETED};

    public JobCounts {
        byState = Collections.unmodifiableMap(new EnumMap<>(byState.isEmpty() ? Map.of(StateName.ENQUEUED, 0L) : byState));
    }

    public long of(StateName state) {
        return byState.getOrDefault(state, 0L);
    }

    public long total() {
        return byState.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Lower-case state name to count, in {@link #SHOWN} order: the shape {@code status --json} prints. */
    public Map<String, Long> asNamedMap() {
        Map<String, Long> named = new LinkedHashMap<>();
        for (StateName state : SHOWN) {
            named.put(state.name().toLowerCase(), of(state));
        }
        return named;
    }
}
