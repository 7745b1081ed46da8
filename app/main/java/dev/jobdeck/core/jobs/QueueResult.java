package dev.jobdeck.core.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What was committed for one Compose: the batch, the job of every recipient, and for a cron schedule
 * the recurring jobs instead. {@code firstRun} is when the first delivery is due.
 */
public record QueueResult(UUID batchId, List<UUID> jobIds, List<String> recurringJobIds, Instant firstRun) {

    public int count() {
        return recurringJobIds.isEmpty() ? jobIds.size() : recurringJobIds.size();
    }

    public boolean recurring() {
        return !recurringJobIds.isEmpty();
    }
}
