package dev.jobdeck.core.jobs;

import org.jobrunr.jobs.states.StateName;

import java.time.Instant;
import java.util.UUID;

/** Where a page of jobs starts or ends: the sort key of a row (every sort's columns, the job id last). */
public record PageKey(StateName state, Instant updatedAt, UUID id) {

    public static PageKey of(JobRow row) {
        return new PageKey(row.state(), row.updatedAt(), row.jobId());
    }
}
