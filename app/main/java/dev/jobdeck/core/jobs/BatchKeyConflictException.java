package dev.jobdeck.core.jobs;

import java.util.UUID;

/** A batch key ({@code send --key}) that an earlier batch with other e-mails already has: nothing was queued. */
public final class BatchKeyConflictException extends Exception {

    private final String key;
    private final UUID batchId;

    public BatchKeyConflictException(String key, UUID batchId) {
        super("The key \"" + key + "\" already names batch " + batchId + ", which sends other e-mails.");
        this.key = key;
        this.batchId = batchId;
    }

    public String key() {
        return key;
    }

    /** The batch that has the key. */
    public UUID batchId() {
        return batchId;
    }
}
