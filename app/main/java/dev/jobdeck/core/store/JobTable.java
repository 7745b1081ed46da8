package dev.jobdeck.core.store;

/**
 * What the store's recovery queries need to know of the job engine's table, as SQL fragments: the store knows
 * nothing of the job engine (JobRunr), so the one class that holds every statement against JobRunr's tables
 * hands these in.
 */
public interface JobTable {

    /** A condition true when no job has the id {@code idExpression} (a column or parameter of the outer query). */
    String noJobWithId(String idExpression);

    /** {@code LEFT JOIN <jobs table> alias ON alias.id = idExpression}: a job's row, or nulls when it has none. */
    String leftJoinJob(String alias, String idExpression);

    /**
     * {@code SELECT id} of the jobs of one recurring job (the one parameter, its id) that have not started yet: scheduled,
     * enqueued or awaiting. Deleting a recurring job deletes them too.
     */
    String waitingRunsOf();
}
