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
     * it: must be 0. {@code reExecuted}: e-mails whose send was cut off (started, never recorded as finished) and
     * then run again, so the server may have received them twice.
     */
    public record Ledger(long accepted, long delivered, long succeeded, long failed, long deleted, long pending,
                         long lost, long reExecuted) {
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

    /** An e-mail that may have been delivered twice: its Message-ID, and the hosts of the cut-off and later attempts. */
    public record ReExecution(UUID emailId, UUID jobId, String messageId, String recipient, String interruptedOn,
                              Instant interruptedAt, int attempts, int sent) {
    }
}
