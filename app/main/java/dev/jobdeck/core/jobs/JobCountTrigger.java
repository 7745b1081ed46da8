package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.CountTrigger;
/**
 * The name every H2 store holds in its counters' trigger definition ({@code CALL 'dev.jobdeck.core.jobs.JobCountTrigger'}):
 * H2 loads this class by that name when it opens a store, so it stays here while the trigger's work lives behind the
 * door to JobRunr ({@link CountTrigger}, decision 42).
 */
public final class JobCountTrigger extends CountTrigger {
}
