package dev.jobdeck.testsupport;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreLocation;
import dev.jobdeck.core.store.StoreLocations;

import java.nio.file.Path;
import java.util.Map;

/**
 * The two databases a store lives in, for contract tests that run the same behaviour on both: H2 in the data directory,
 * or a fresh PostgreSQL database ({@link PostgresServer#freshDatabase()}, skipped with a message when there is none)
 * that the data directory remembers with its password, as {@code --store … --password-stdin} leaves it.
 */
public enum StoreKind {

    H2, POSTGRESQL;

    /** Opens a store of this kind for data directory {@code dir} (made if missing). */
    public ConsoleServices open(Path dir, ConsoleServices.Options options) throws Exception {
        DataDirectory directory = new DataDirectory(dir);
        if (this == POSTGRESQL) {
            directoryOn(PostgresServer.freshDatabase(), directory);
        }
        return ConsoleServices.open(directory, options);
    }

    /** Makes {@code directory} remember {@code store} and keep its password. */
    public static DataDirectory directoryOn(PostgresServer.Database store, DataDirectory directory) throws Exception {
        directory.prepareForWriting();
        StoreLocations.remember(directory, StoreLocation.parse(store.url()));
        new StorePasswordVault(Secrets.forDirectory(directory, Map.of())).save(store.password());
        return directory;
    }
}
