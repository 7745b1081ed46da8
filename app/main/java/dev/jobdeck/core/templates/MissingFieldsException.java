package dev.jobdeck.core.templates;

/** A recipient lacks fields the template uses; nothing was merged. */
public final class MissingFieldsException extends Exception {

    private final MissingFields missing;

    public MissingFieldsException(MissingFields missing) {
        super("Missing merge fields: " + missing.byPart());
        this.missing = missing;
    }

    public MissingFields missing() {
        return missing;
    }
}
