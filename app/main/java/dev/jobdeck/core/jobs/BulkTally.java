package dev.jobdeck.core.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts of one run of a {@link BulkActions} action, written by the runner's thread only. */
final class BulkTally {
    private final BulkActions.Plan plan;
    long done;
    long actedOn;
    long actedOnInChunk;
    long errors;
    final List<String> errorMessages = new ArrayList<>();
    private final Map<String, Long> skipped = new LinkedHashMap<>();

    BulkTally(BulkActions.Plan plan) {
        this.plan = plan;
    }

    void acted(long count) {
        actedOn += count;
        actedOnInChunk += count;
    }

    void skip(String reason, long count) {
        skipped.merge(reason, count, Long::sum);
    }

    void error(String message) {
        errors++;
        if (errorMessages.size() < BulkActions.ERRORS_KEPT) {
            errorMessages.add(message);
        }
    }

    long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    BulkActions.Progress progress() {
        return new BulkActions.Progress(done, Math.max(plan.count(), done), actedOn, skippedTotal(), errors);
    }

    Map<String, Long> sortedReasons() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        skipped.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }
}
