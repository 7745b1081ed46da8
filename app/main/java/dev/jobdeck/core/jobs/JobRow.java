package dev.jobdeck.core.jobs;

import org.jobrunr.jobs.states.StateName;

import java.time.Instant;
import java.util.UUID;

/** One line of the jobs table: the job joined with its e-mail and its delivery attempts. */
public record JobRow(UUID jobId, String recipient, String subject, StateName state, int attempts, String host,
                     Instant createdAt, Instant updatedAt, Instant scheduledAt, String lastReply) {
}
