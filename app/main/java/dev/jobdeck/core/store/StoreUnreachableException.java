package dev.jobdeck.core.store;

/** The database a console serves could not be reached: no console runs, or it is not answering. */
public class StoreUnreachableException extends StoreException {

    public StoreUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
