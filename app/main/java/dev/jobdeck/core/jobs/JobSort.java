package dev.jobdeck.core.jobs;

/**
 * The orders the jobs table can be read in, each the order of an index on JobRunr's table (decision 25): a column
 * with no such index (recipient, tries, host, reply) is not offered, since sorting by it would read every job.
 */
public enum JobSort {
    /** By last update, ties by job id. */
    UPDATED,
    /** By state, then by last update within a state. */
    STATE
}
