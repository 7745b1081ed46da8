package dev.jobdeck.core.store;

/** A problem with the data directory or the database, worded for the operator who has to fix it. */
public class StoreException extends Exception {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
