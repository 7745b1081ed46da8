package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.KeysTrigger;
/**
 * The name every H2 store holds in its key triggers' definitions ({@code CALL 'dev.jobdeck.core.jobs.JobKeysTrigger'}):
 * H2 loads this class by that name when it opens a store, so it stays here while the triggers' work lives behind the
 * door to JobRunr ({@link KeysTrigger}, decision 42).
 */
public final class JobKeysTrigger extends KeysTrigger {
}
