package dev.jobdeck.core.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What was committed for one Compose: the batch, the job of every recipient, and for a cron schedule
 * the recurring jobs instead. {@code firstRun} is when the first delivery is due. {@code alreadyQueued}: the
 * request carried the key of a batch queued before with the same e-mails, so nothing was queued this time and the
 * result describes that batch.
 */
public record QueueResult(UUID batchId, List<UUID> jobIds, List<String> recurringJobIds, Instant firstRun,
                          boolean alreadyQueued) {

    public QueueResult(UUID batchId, List<UUID> jobIds, List<String> recurringJobIds, Instant firstRun) {
        this(batchId, jobIds, recurringJobIds, firstRun, false);
    }

    public int count() {
        return recurringJobIds.isEmpty() ? jobIds.size() : recurringJobIds.size();
    }

    public boolean recurring() {
        return !recurringJobIds.isEmpty();
    }
}
