package dev.jobdeck.core.templates;

import java.util.Map;
import java.util.SortedSet;

/** The merge fields a recipient lacks, per part of the e-mail that uses them; empty when none is missing. */
public record MissingFields(Map<TemplatePart, SortedSet<String>> byPart) {

    public MissingFields {
        byPart = Map.copyOf(byPart);
    }

    public boolean isEmpty() {
        return byPart.isEmpty();
    }
}
