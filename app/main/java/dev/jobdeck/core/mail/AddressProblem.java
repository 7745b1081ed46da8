package dev.jobdeck.core.mail;

import java.util.Objects;

/** One entry of a recipients field that could not be used, with a message an operator understands. */
public record AddressProblem(String entry, String message) {

    public AddressProblem {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(message, "message");
    }

    /** Longer entries are shown by their start and end, so one pasted by mistake does not flood the message. */
    static final int SHOWN = 80;

    /** The form shown in the UI, e.g. {@code "bob@": missing domain}. */
    public String describe() {
        return "\"" + shown(entry) + "\": " + message;
    }

    /** Control characters are shown as U+FFFD, so echoing an entry never drives the operator's terminal (ESC). */
    private static String shown(String entry) {
        StringBuilder visible = new StringBuilder(entry.length());
        entry.codePoints().forEach(c -> visible.appendCodePoint(HeaderText.isRefusedControl(c) ? 0xFFFD : c));
        if (visible.length() <= SHOWN) {
            return visible.toString();
        }
        return visible.substring(0, SHOWN - 21) + "…" + visible.substring(visible.length() - 20);
    }

    @Override
    public String toString() {
        return describe();
    }
}
