package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.StoreKind;

import java.util.Map;

/**
 * {@link JobRunrContract} on PostgreSQL: a fresh database of the test run's server ({@link PostgresServer}), made as a
 * console makes a shared store. Skipped, saying why, where no server can be had.
 */
class PostgresJobRunrContractTest extends JobRunrContract {

    @Override
    protected StoreKind kind() {
        return StoreKind.POSTGRESQL;
    }

    @Override
    protected Map<String, String> expectedColumns() {
        return JobRunrJobs.COLUMNS_ON_POSTGRESQL;
    }
}
