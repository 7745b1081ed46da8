package dev.jobdeck.core.store;

/**
 * A store location that does not fit what the data directory remembers (another database, or PostgreSQL for a
 * directory that already has an embedded store): invalid input, not a broken directory. Nothing was written.
 */
public class StoreLocationRefusedException extends StoreException {

    public StoreLocationRefusedException(String message) {
        super(message);
    }
}
