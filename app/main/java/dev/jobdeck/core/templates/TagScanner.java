package dev.jobdeck.core.templates;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Finds the Mustache mistakes an operator makes most, with line and column: a tag that is never closed
 * (which jmustache would silently send as text), an empty tag, a section closed in the wrong order or
 * never, and partials, which JobDeck does not load. jmustache itself reports anything else, by line.
 */
final class TagScanner {

    record Problem(int line, int column, String message) {
    }

    private record Open(String name, int line, int column) {
    }

    private TagScanner() {
    }

    static Optional<Problem> check(String source) {
        Deque<Open> sections = new ArrayDeque<>();
        Positions positions = new Positions(source);
        int i = 0;
        while (true) {
            int start = source.indexOf("{{", i);
            if (start < 0) {
                break;
            }
            int[] at = positions.of(start);
            boolean triple = source.startsWith("{{{", start);
            String close = triple ? "}}}" : "}}";
            int contentStart = start + (triple ? 3 : 2);
            int end = source.indexOf(close, contentStart);
            int nextOpen = source.indexOf("{{", contentStart);
            if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
                return Optional.of(new Problem(at[0], at[1], "\"" + (triple ? "{{{" : "{{") + "\" is not closed with \""
                        + close + "\"."));
            }
            String content = source.substring(contentStart, end).strip();
            if (content.isEmpty()) {
                return Optional.of(new Problem(at[0], at[1], "empty tag \"" + source.substring(start, end + close.length())
                        + "\": put a field name inside, e.g. {{email}}."));
            }
            char sigil = triple ? ' ' : content.charAt(0);
            String name = "#^/>!&=".indexOf(sigil) >= 0 ? content.substring(1).strip() : content;
            switch (sigil) {
                case '=' -> {
                    // Changed delimiters: the rest is beyond this scanner; jmustache checks it.
                    return Optional.empty();
                }
                case '>' -> {
                    return Optional.of(new Problem(at[0], at[1], "partials ({{> " + name + "}}) are not supported."));
                }
                case '#', '^' -> sections.push(new Open(name, at[0], at[1]));
                case '/' -> {
                    if (sections.isEmpty()) {
                        return Optional.of(new Problem(at[0], at[1], "{{/" + name + "}} closes a section that was never opened."));
                    }
                    Open open = sections.pop();
                    if (!open.name().equals(name)) {
                        return Optional.of(new Problem(at[0], at[1], "{{/" + name + "}} closes the section {{#" + open.name()
                                + "}} opened at line " + open.line() + ", column " + open.column()
                                + "; close that one first with {{/" + open.name() + "}}."));
                    }
                }
                case '&' -> {
                    if (name.isEmpty()) {
                        return Optional.of(new Problem(at[0], at[1], "empty tag \"{{&}}\": put a field name after the &."));
                    }
                }
                default -> {
                    // A variable or a comment.
                }
            }
            i = end + close.length();
        }
        if (!sections.isEmpty()) {
            Open open = sections.getLast();
            return Optional.of(new Problem(open.line(), open.column(), "the section {{#" + open.name()
                    + "}} is never closed: end it with {{/" + open.name() + "}}."));
        }
        return Optional.empty();
    }

    /** Line and column (1-based) of increasing indexes, in one pass over the text; a tab counts as one column. */
    private static final class Positions {

        private final String source;
        private int scanned;
        private int line = 1;
        private int lineStart;

        Positions(String source) {
            this.source = source;
        }

        int[] of(int index) {
            for (; scanned < index; scanned++) {
                if (source.charAt(scanned) == '\n') {
                    line++;
                    lineStart = scanned + 1;
                }
            }
            return new int[] {line, index - lineStart + 1};
        }
    }
}
