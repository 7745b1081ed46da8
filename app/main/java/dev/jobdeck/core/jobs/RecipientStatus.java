package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.jobs.query.JobState;

/**
 * Where one recipient's e-mail stands, in a mail operator's words rather than a job's: sent (the server
 * accepted it), deferred (refused for now, another attempt is coming), bounced (refused for good, or given
 * up after the last retry), or not tried yet.
 */
public enum RecipientStatus {
    WAITING("waiting"),
    SENDING("sending"),
    SENT("sent"),
    DEFERRED("deferred"),
    BOUNCED("bounced"),
    /** Deleted by the operator before it was sent. */
    CANCELLED("cancelled");

    private final String label;

    RecipientStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * @param state       the job's state
     * @param lastOutcome the outcome of the job's latest delivery attempt, or null before the first
     */
    public static RecipientStatus of(JobState state, Outcome lastOutcome) {
        if (lastOutcome == Outcome.SENT || lastOutcome == Outcome.SKIPPED_ALREADY_SENT) {
            return SENT;
        }
        if (state == JobState.FAILED) {
            return BOUNCED;
        }
        if (state == JobState.DELETED) {
            return CANCELLED;
        }
        if (state == JobState.SUCCEEDED) {
            return SENT;
        }
        if (state == JobState.PROCESSING && lastOutcome == Outcome.STARTED) {
            return SENDING;
        }
        if (lastOutcome == Outcome.TRANSIENT_FAILURE || lastOutcome == Outcome.STARTED) {
            // STARTED outside Processing: the attempt was cut off by a host that died; it will be tried again.
            return DEFERRED;
        }
        return lastOutcome == Outcome.PERMANENT_FAILURE ? BOUNCED : WAITING;
    }
}
