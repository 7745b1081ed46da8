package dev.jobdeck.core.jobs.query;

import java.util.Optional;

/**
 * The orders the jobs table can be read in, each the order of an index (decisions 25 and 30): Updated and State are
 * JobRunr's table's, the others {@code jd_job_key}'s, which holds what each job's row shows as sort keys. The Delivery
 * column is not offered: it follows the job's state, which the keys leave to JobRunr's table.
 */
public enum JobSort {
    /** By last update, ties by job id. */
    UPDATED(null),
    /** By state, then by last update within a state. */
    STATE(null),
    /** By recipient address (a bulk job's first recipient), ignoring case. */
    RECIPIENT("recipient"),
    /** By subject, ignoring case (its first 200 characters). */
    SUBJECT("subject"),
    /** By tries (a bulk job's most at one recipient). */
    TRIES("tries"),
    /** By the host of the latest attempt. */
    HOST("host"),
    /** By the latest reply's SMTP code. */
    CODE("code"),
    /** By the latest reply's text without its code, ignoring case (its first 200 characters). */
    REPLY("reply");

    private final String keyColumn;

    JobSort(String keyColumn) {
        this.keyColumn = keyColumn;
    }

    /** The column of {@code jd_job_key} this order follows; empty for the orders of JobRunr's table. */
    public Optional<String> keyColumn() {
        return Optional.ofNullable(keyColumn);
    }

    /** Whether the key is a number (tries, code) rather than text. */
    public boolean numeric() {
        return this == TRIES || this == CODE;
    }

    /** The sort named {@code name} as a user types it (a column's title), or empty. */
    public static Optional<JobSort> named(String name) {
        String wanted = name == null ? "" : name.strip().replace(' ', '_').replace('-', '_');
        for (JobSort sort : values()) {
            if (sort.name().equalsIgnoreCase(wanted) || (sort == REPLY && wanted.equalsIgnoreCase("last_reply"))) {
                return Optional.of(sort);
            }
        }
        return Optional.empty();
    }
}
