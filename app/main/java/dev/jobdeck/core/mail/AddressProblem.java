package dev.jobdeck.core.mail;

import java.util.Objects;

/** One entry of a recipients field that could not be used, with a message an operator understands. */
public record AddressProblem(String entry, String message) {

    public AddressProblem {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(message, "message");
    }

    /** The form shown in the UI, e.g. {@code "bob@": missing domain}. */
    public String describe() {
        return "\"" + entry + "\": " + message;
    }

    @Override
    public String toString() {
        return describe();
    }
}
