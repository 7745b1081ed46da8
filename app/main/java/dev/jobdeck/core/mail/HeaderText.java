package dev.jobdeck.core.mail;

import java.util.Optional;

/**
 * Guards single-line header values. A CR or LF in a subject or address would let the text start a
 * new header (header injection), so such values are refused rather than silently cleaned.
 */
public final class HeaderText {

    public static final String LINE_BREAK_MESSAGE = "must not contain line breaks";

    private HeaderText() {
    }

    public static boolean containsLineBreak(CharSequence value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    /** Returns the message to show next to the field, or empty when the value is a single line. */
    public static Optional<String> lineBreakProblem(CharSequence value) {
        return containsLineBreak(value) ? Optional.of(LINE_BREAK_MESSAGE) : Optional.empty();
    }
}
