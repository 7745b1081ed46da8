package dev.jobdeck.core.jobs;

import java.util.Optional;
import java.util.UUID;

/**
 * One recipient of a job as the job detail lists it: for a bulk job every recipient it delivers, for a single
 * job its one e-mail.
 *
 * @param status   {@link Status#SENT}, {@link Status#DEFERRED} (a transient failure; it will be retried),
 *                 {@link Status#BOUNCED} (refused for good), and the states before and around those
 * @param ownJobId the job of its own the recipient was handed to (a retry or a bounce), when it has one and it is
 *                 not the job shown
 */
public record JobRecipient(UUID emailId, String recipient, Status status, int attempts, String lastReply,
                              Optional<UUID> ownJobId) {

    public enum Status {
        QUEUED("queued"), SENDING("sending"), SENT("sent"), DEFERRED("deferred"), BOUNCED("bounced"), FAILED("failed"),
        DELETED("deleted");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
