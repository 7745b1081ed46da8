package dev.jobdeck.core.jobs;

import java.time.Instant;

/** A recurring job as the Recurring list shows it. */
public record RecurringEmail(String id, String name, String cron, String zone, Instant nextRun, String recipient,
                             String subject) {
}
