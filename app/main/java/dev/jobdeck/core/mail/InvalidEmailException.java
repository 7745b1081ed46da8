package dev.jobdeck.core.mail;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Thrown when an {@link EmailMessage} would be invalid. It carries one message per field so a form
 * can show every problem next to the field where it was typed, not just the first one.
 */
public final class InvalidEmailException extends IllegalArgumentException {

    private final Map<EmailMessage.Field, String> problems;

    public InvalidEmailException(Map<EmailMessage.Field, String> problems) {
        super(summary(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidEmailException needs at least one problem");
        }
        this.problems = Collections.unmodifiableMap(new EnumMap<>(problems));
    }

    /** Per-field messages, in field order. */
    public Map<EmailMessage.Field, String> problems() {
        return problems;
    }

    public Optional<String> problem(EmailMessage.Field field) {
        return Optional.ofNullable(problems.get(field));
    }

    private static String summary(Map<EmailMessage.Field, String> problems) {
        return new EnumMap<>(problems).entrySet().stream()
                .map(e -> e.getKey().label() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
    }
}
