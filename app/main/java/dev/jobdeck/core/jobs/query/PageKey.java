package dev.jobdeck.core.jobs.query;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a page of jobs starts or ends: the sort key of a row (every sort's columns, the job id last).
 *
 * @param value the row's key in {@code jd_job_key} for the orders by a shown column (a String or an Integer); null
 *              for the orders by update and state
 */
public record PageKey(JobState state, Instant updatedAt, UUID id, Object value) {

    public PageKey(JobState state, Instant updatedAt, UUID id) {
        this(state, updatedAt, id, null);
    }
}
