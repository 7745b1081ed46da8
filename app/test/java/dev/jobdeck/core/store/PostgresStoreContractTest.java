package dev.jobdeck.core.store;

import dev.jobdeck.testsupport.PostgresServer;

import java.nio.file.Path;

/**
 * {@link StoreContract} on PostgreSQL: a fresh database of the test run's server ({@link PostgresServer}), opened as
 * hosts open a shared store ({@link Database#openShared}). Skipped, saying why, where no server can be had.
 */
class PostgresStoreContractTest extends StoreContract {

    @Override
    protected Database openStore(Path directory) throws Exception {
        PostgresServer.Database database = PostgresServer.freshDatabase();
        return Database.openShared(new DataDirectory(directory), database.jdbcUrl(), database.user(),
                database.password(), 8);
    }

    @Override
    protected SqlDialect expectedDialect() {
        return SqlDialect.POSTGRESQL;
    }
}
