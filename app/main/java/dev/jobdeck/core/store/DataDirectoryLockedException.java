package dev.jobdeck.core.store;

/** Another JobDeck process already owns the data directory. */
public class DataDirectoryLockedException extends StoreException {

    public DataDirectoryLockedException(String message) {
        super(message);
    }
}
