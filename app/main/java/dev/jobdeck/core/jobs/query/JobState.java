package dev.jobdeck.core.jobs.query;

/**
 * A job's state as JobDeck speaks of it: the states of the job engine (JobRunr 8), by the same names, so the store,
 * the report, the screens and the CLI can name them without importing the engine (decision 52). The door to JobRunr
 * maps them to and from JobRunr's own {@code StateName} ({@code jobrunr.JobStates}); its contract test fails when
 * JobRunr adds, drops or renames one.
 */
public enum JobState {
    AWAITING, SCHEDULED, ENQUEUED, PROCESSING, FAILED, SUCCEEDED, DELETED;

    /** Whether a job in this state may still deliver its e-mail (it has not ended). */
    public boolean pending() {
        return this == AWAITING || this == SCHEDULED || this == ENQUEUED || this == PROCESSING;
    }
}
