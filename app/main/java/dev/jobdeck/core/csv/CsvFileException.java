package dev.jobdeck.core.csv;

import java.util.List;

/**
 * The file as a whole cannot be imported: nothing from it is used. {@link #columns()} lists the header's
 * columns when they were read, so the operator can pick the e-mail column when that was the problem.
 */
public final class CsvFileException extends Exception {

    public enum Kind { UNREADABLE, NOT_UTF8, EMPTY, BAD_HEADER, NO_EMAIL_COLUMN, AMBIGUOUS_EMAIL_COLUMN, MALFORMED, TOO_MANY_ROWS }

    private final Kind kind;
    private final List<String> columns;

    public CsvFileException(Kind kind, String message, List<String> columns) {
        super(message);
        this.kind = kind;
        this.columns = List.copyOf(columns);
    }

    public Kind kind() {
        return kind;
    }

    /** The header's columns, or empty when the header could not be read. */
    public List<String> columns() {
        return columns;
    }

    /** Whether picking another e-mail column can fix it. */
    public boolean needsColumnChoice() {
        return kind == Kind.NO_EMAIL_COLUMN || kind == Kind.AMBIGUOUS_EMAIL_COLUMN;
    }
}
