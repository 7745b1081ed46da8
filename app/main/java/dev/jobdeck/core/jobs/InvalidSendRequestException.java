package dev.jobdeck.core.jobs;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A request that was refused before anything was written, with one message per offending field. */
public class InvalidSendRequestException extends Exception {

    private final Map<SendRequest.Field, String> problems;

    public InvalidSendRequestException(Map<SendRequest.Field, String> problems) {
        super(problems.entrySet().stream().map(e -> e.getKey().name().toLowerCase() + ": " + e.getValue())
                .collect(Collectors.joining("; ")));
        this.problems = Collections.unmodifiableMap(new EnumMap<>(problems));
    }

    public Map<SendRequest.Field, String> problems() {
        return problems;
    }
}
