package dev.jobdeck.core.store;

import java.nio.file.Path;

/** A database file H2 cannot read at all: not a recoverable unclean shutdown, but damage or another kind of file. */
public final class DamagedStoreFileException extends StoreException {

    private final transient Path file;

    public DamagedStoreFileException(String message, Path file, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
