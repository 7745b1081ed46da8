package dev.jobdeck.core.mail;

import java.util.Locale;
import java.util.Optional;

/**
 * Guards single-line header values. A CR or LF in a subject or address would let the text start a
 * new header (header injection), so such values are refused rather than silently cleaned. The other
 * control characters (C0 but TAB, DEL, C1) are refused too: mail software treats them inconsistently
 * (NUL ends a string in C, ESC starts a terminal sequence, U+0085 is a line break to some), and no
 * operator means to send one. TAB is allowed: it is white space in every header (RFC 5322 WSP), and
 * values pasted from spreadsheets carry it harmlessly (decision 19).
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

    /**
     * What is wrong with a header value, worded to follow its name ("The subject " + problem): a line break, or
     * the first other control character with its code, name and position (1 for the first character), e.g.
     * {@code must not contain control characters: U+001B ESCAPE at position 5}. Empty when it is fine.
     */
    public static Optional<String> problem(CharSequence value) {
        if (containsLineBreak(value)) {
            return Optional.of(LINE_BREAK_MESSAGE);
        }
        return controlCharacterProblem(value);
    }

    /** The first control character other than TAB, CR and LF, worded as {@link #problem} words it; empty when none. */
    public static Optional<String> controlCharacterProblem(CharSequence value) {
        if (value == null) {
            return Optional.empty();
        }
        int position = 0;
        for (int i = 0; i < value.length(); ) {
            int c = Character.codePointAt(value, i);
            position++;
            if (isRefusedControl(c)) {
                return Optional.of("must not contain control characters: " + describe(c) + " at position " + position);
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    /** C0 controls but TAB, DEL and C1 controls; CR and LF are refused too, with their own message. */
    static boolean isRefusedControl(int c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
    }

    /** {@code U+001B ESCAPE}. */
    static String describe(int c) {
        String name = Character.getName(c);
        return String.format(Locale.ROOT, "U+%04X", c) + (name == null ? "" : " " + name);
    }
}
