package dev.jobdeck.core.store;

import java.nio.file.Path;

/** {@link StoreContract} on the embedded default: an H2 file store, opened as a console opens it. */
class H2StoreContractTest extends StoreContract {

    @Override
    protected Database openStore(Path directory) throws Exception {
        return Database.open(new DataDirectory(directory), 8);
    }

    @Override
    protected SqlDialect expectedDialect() {
        return SqlDialect.H2;
    }
}
