package dev.jobdeck.core.templates;

/** A subject or body that is not a valid template, with where the problem is (1-based; column 0 when unknown). */
public final class TemplateSyntaxException extends Exception {

    private final TemplatePart part;
    private final int line;
    private final int column;
    private final String problem;

    public TemplateSyntaxException(TemplatePart part, int line, int column, String problem) {
        super("The " + part.label() + " is not a valid template: line " + line + (column > 0 ? ", column " + column : "")
                + ": " + problem);
        this.part = part;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public TemplatePart part() {
        return part;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }
}
