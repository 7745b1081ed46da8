package dev.jobdeck.core.jobs;

import java.time.Instant;
import java.util.List;

/**
 * A {@link SendRequest} that passed validation. {@code runAt} is null for "now"; {@code cron} is set
 * only for a recurring schedule, with {@code runAt} its first run.
 */
public record ValidSend(String from, List<String> recipients, String cc, String bcc, String subject, String body,
                        Instant runAt, String cron) {
}
