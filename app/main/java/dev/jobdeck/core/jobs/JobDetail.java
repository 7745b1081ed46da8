package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.DeliveryAttempt;
import dev.jobdeck.core.store.OutboxEmail;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything known about one job: its e-mail, every state it went through, its failure, its attempts, and each
 * recipient's status (a bulk job delivers many).
 *
 * @param recipientStatus the job's own recipient status (for a bulk job: of the job as a whole)
 * @param nextAttempt     when a deferred or scheduled e-mail will be tried next
 */
public record JobDetail(UUID jobId, String name, String state, Instant createdAt, Instant updatedAt,
                        Optional<String> recurringJobId, Optional<OutboxEmail> email, String messageId,
                        List<StateChange> history, Optional<Failure> lastFailure, List<DeliveryAttempt> attempts,
                        RecipientStatus recipientStatus, Optional<Instant> nextAttempt, List<JobRecipient> recipients) {

    /** Whether this is a bulk job: one job delivering several recipients, each listed in {@link #recipients}. */
    public boolean bulk() {
        return email.isEmpty() && !recipients.isEmpty();
    }

    /** One entry of the state history; {@code note} holds e.g. the host or the failure message. */
    public record StateChange(String state, Instant at, String note) {
    }

    public record Failure(Instant at, String message, String exceptionType, String exceptionMessage, String stackTrace,
                          boolean willNotRetry) {
    }
}
