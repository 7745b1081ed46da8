package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.Incident;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What happened to the accepted e-mails, and to the jobs in flight at every crash, recycle and restart.
 * {@code ledger} counts the e-mails run as JobRunr jobs; {@code memory} those handed to in-memory hosts.
 */
public record SurvivalReport(Instant generatedAt, UUID batchId, Ledger ledger, MemoryLedger memory,
                             List<IncidentReport> incidents, List<ReExecution> reExecutions) {

    /**
     * E-mails run as JobRunr jobs. {@code lost}: accepted, never delivered, and no job left that could deliver
     * it: must be 0. The five of delivered, failed, deleted, pending and lost add up to accepted; {@code succeeded}
     * counts those whose job succeeded. {@code reExecuted}: e-mails the server may have received twice or more
     * (accepted twice, or accepted once beside an attempt cut off mid-send), see {@link ReExecution}. {@code purged}:
     * e-mails whose rows retention removed (decision 26); they still count everywhere above, but only those kept
     * are listed as re-executions.
     */
    public record Ledger(long accepted, long delivered, long succeeded, long failed, long deleted, long pending,
                         long lost, long reExecuted, long purged) {
    }

    /** E-mails handed to in-memory hosts: {@code lost} are those whose host died before sending them. */
    public record MemoryLedger(long accepted, long sent, long pending, long lost) {
    }

    /**
     * One incident with the fate of every job in flight at that moment. {@code allDoneAfter} is the time from
     * the incident until the last of those jobs reached a final state, once they all have.
     */
    public record IncidentReport(UUID id, String host, Incident.Action action, Instant happenedAt, Instant detectedAt,
                                 Integer requeued, String replacement, String note, List<JobFate> jobs,
                                 Duration allDoneAfter, long lostEmails) {
    }

    /**
     * A job that was in flight: when it was taken from its dead host (failed or handed back), when and where it
     * ran again, and where it ended.
     */
    public record JobFate(UUID jobId, UUID emailId, String recipient, Instant orphanedAt, Instant ranAgainAt,
                          String ranAgainOn, String finalState, Instant finishedAt) {
    }

    /**
     * An e-mail the server may have received twice or more: its Message-ID, the host and start of the first attempt
     * that may have reached the server, all its attempts, and how many the server accepted ({@code sent} of 2 or more:
     * certainly delivered twice; else one attempt was cut off mid-send and its fate is unknown).
     */
    public record ReExecution(UUID emailId, UUID jobId, String messageId, String recipient, String interruptedOn,
                              Instant interruptedAt, int attempts, int sent) {

        /** The server accepted it in two attempts or more: delivered twice for sure, not just perhaps. */
        public boolean certain() {
            return sent >= 2;
        }
    }
}
