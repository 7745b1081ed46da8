package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.DeliveryException;
import dev.jobdeck.core.mail.DeliveryResult;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.SmtpConnectionPool;
import dev.jobdeck.core.mail.SmtpFailure;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.RetryPolicy;
import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.DeliveryLedger.Begin;
import dev.jobdeck.core.store.DeliveryLedger.Finish;
import dev.jobdeck.core.store.LedgerJournal;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.runner.ThreadLocalJobContext;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The JobRunr jobs that deliver outbox e-mails: {@link #send} one e-mail (its only argument is the e-mail id, so
 * job arguments hold no secrets and no large bodies), {@link #sendBulk} the recipients of a bulk job over one
 * connection (decision 10). Both go through the host's {@link SmtpConnectionPool}.
 */
public class EmailJob {

    private static final System.Logger LOG = System.getLogger(EmailJob.class.getName());
    private static final String ALREADY_SENT = "already accepted by the server earlier";
    private static final String STOPPED = "host stopped before sending";
    /** How often a running bulk job makes sure it is still the job's only run (a host paused longer than JobRunr's
     *  server timeout, by a long GC or a sleeping machine, finds out here). */
    private static final Duration OWNERSHIP_CHECK = Duration.ofSeconds(5);
    /** How often a bulk job that waits for the store looks again. */
    private static final Duration STORE_WAIT = Duration.ofMillis(50);

    /** Whether this host still runs a job: its state is Processing here, since before {@code runStartedAt}. */
    @FunctionalInterface
    public interface JobOwnership {
        boolean stillRuns(UUID jobId, Instant runStartedAt);
    }

    private final Outbox outbox;
    private final OutboxMessages messages;
    private final DeliveryLedger ledger;
    private final LedgerJournal journal;
    private final SmtpConnectionPool connections;
    private final Supplier<SmtpSettings> smtpSettings;
    private final Supplier<String> hostName;
    private final BooleanSupplier hostStopping;
    private final FollowUpJobs followUps;
    private final Clock clock;
    private final Supplier<RetryPolicy> retryPolicy;
    private final PlannedStart plannedStart;
    private final JobOwnership ownership;

    /**
     * @param hostStopping whether this process's host is draining or stopping ({@link JobEngine#isStopping}): a bulk
     *                     job then hands its recipients left back to the queue
     * @param retryPolicy  decides which refusals bounce and which are retried, by reply code and enhanced status
     * @param plannedStart holds a scheduled job back until its planned time when JobRunr started it early
     * @param ownership    whether a bulk job is still this host's ({@link JobEngine#stillRuns})
     */
    public EmailJob(Outbox outbox, DeliveryLedger ledger, LedgerJournal journal, SmtpConnectionPool connections,
                    Supplier<SmtpSettings> smtpSettings, Supplier<String> hostName, BooleanSupplier hostStopping,
                    FollowUpJobs followUps, Clock clock, Supplier<RetryPolicy> retryPolicy, PlannedStart plannedStart,
                    JobOwnership ownership) {
        this.ownership = ownership;
        this.retryPolicy = retryPolicy;
        this.plannedStart = plannedStart;
        this.outbox = outbox;
        this.messages = new OutboxMessages(outbox);
        this.ledger = ledger;
        this.journal = journal;
        this.connections = connections;
        this.smtpSettings = smtpSettings;
        this.hostName = hostName;
        this.hostStopping = hostStopping;
        this.followUps = followUps;
        this.clock = clock;
    }

    public void send(UUID emailId) throws Exception {
        plannedStart.await(hostStopping);
        UUID jobId = ThreadLocalJobContext.getJobContext().getJobId();
        OutboxEmail email = outbox.find(emailId)
                .orElseThrow(() -> new PermanentJobFailure("E-mail " + emailId + " is not in the outbox", null));
        if (email.kind() == OutboxEmail.Kind.RECURRING_TEMPLATE) {
            email = outbox.insertIfJobAbsent(email.runOf(jobId, clock.instant()));
        }
        String messageId = MessageIds.forJob(jobId);
        if (ledger.emailAlreadySent(email.id())) {
            // A crash after the server's 250 but before JobRunr saved "succeeded": do not deliver twice.
            int attempt = ledger.begin(jobId, email.id(), hostName.get(), messageId, clock.instant());
            ledger.finish(jobId, attempt, Outcome.SKIPPED_ALREADY_SENT, null, ALREADY_SENT, clock.instant());
            LOG.log(System.Logger.Level.INFO, "Job {0} was already delivered; not sending again", jobId);
            return;
        }
        EmailMessage message;
        try {
            message = messages.messageOf(email);
        } catch (OutboxMessages.MissingAttachmentException e) {
            int attempt = ledger.begin(jobId, email.id(), hostName.get(), messageId, clock.instant());
            ledger.finish(jobId, attempt, Outcome.PERMANENT_FAILURE, null, e.getMessage(), clock.instant());
            throw new PermanentJobFailure(e.getMessage(), e);
        }
        int attempt = ledger.begin(jobId, email.id(), hostName.get(), messageId, clock.instant());
        try (SmtpConnectionPool.Lease lease = connections.lease(smtpSettings.get())) {
            DeliveryResult result = lease.send(message, messageId);
            ledger.finish(jobId, attempt, Outcome.SENT, replyCode(result.serverReply()), result.serverReply(), clock.instant());
        } catch (DeliveryException e) {
            SmtpFailure failure = e.failure();
            Integer code = failure.replyCode() > 0 ? failure.replyCode() : null;
            if (bounces(e)) {
                ledger.finish(jobId, attempt, Outcome.PERMANENT_FAILURE, code, failure.replyText(), clock.instant());
                throw new PermanentJobFailure("Rejected for good: " + e.getMessage(), e);
            }
            ledger.finish(jobId, attempt, Outcome.TRANSIENT_FAILURE, code, failure.replyText(), clock.instant());
            throw e;
        } catch (InterruptedException e) {
            // Only waits for a connection slot or a send permit are interrupted: nothing went out.
            ledger.finish(jobId, attempt, Outcome.TRANSIENT_FAILURE, null, STOPPED, clock.instant());
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /**
     * Delivers the e-mails of bulk job {@code bulkJobId} one after the other over one connection. Each keeps its
     * own ledger rows (journaled by this process before the next message goes out, decision 16), Message-ID and
     * outcome: one the ledger records as accepted is skipped (a re-run after a crash), one refused for good or
     * deferred gets a job of its own ({@link FollowUpJobs}) and the bulk job goes on. Only a server that cannot be
     * reached at all fails the bulk job, which JobRunr then retries as a whole. On a host being drained or stopped it
     * ends between two messages with {@link HostStoppedException}, which {@link DeliveryRetryFilter} puts back in the
     * queue at once: a run on another host skips what this one sent, and the drain is not held up by the rest.
     */
    public void sendBulk(UUID bulkJobId) throws Exception {
        plannedStart.await(hostStopping);
        // The wall clock, not the injected one: JobRunr stamps the job's states with it (see JobEngine#stillRuns).
        Run run = new Run(bulkJobId, UUID.randomUUID(), Instant.now(), journal.contactEpoch(), System.nanoTime());
        // A run after a crash reads below which recipients were sent: whatever this process or one that died
        // journaled must be in the ledger first; so must what a live process journaled while it could not reach the
        // store (a worker that lost the store while this job ran there), if this job ran anywhere before.
        if (journal.holds(bulkJobId)) {
            journal.flush();
        }
        if (ThreadLocalJobContext.getJobContext().amountOfFailures() > 0) {
            journal.catchUp();
        } else {
            journal.foldOrphans();
        }
        String host = hostName.get();
        Finish pending = null;
        boolean completed = false;
        try (SmtpConnectionPool.Lease lease = connections.lease(smtpSettings.get())) {
            List<Outbox.BulkMember> members = outbox.membersOf(bulkJobId);
            for (int i = 0; i < members.size(); i++) {
                Outbox.BulkMember member = members.get(i);
                if (member.hasOwnJob()) {
                    continue;
                }
                if (hostStopping.getAsBoolean()) {
                    throw new HostStoppedException("Host " + host + " stopped taking work; " + (members.size() - i)
                            + " of " + members.size() + " recipients handed back to the queue");
                }
                run = awaitStoreAndOwnership(run, host, members.size() - i, members.size());
                OutboxEmail email = member.email();
                UUID key = email.jobId();
                int attempt = member.attempts() + 1;
                Begin begin = new Begin(key, run.id(), attempt, email.id(), host, MessageIds.forJob(key), clock.instant());
                // The previous e-mail's outcome is journaled together with this one's start, before it is sent.
                journal.record(bulkJobId, pending, begin);
                pending = null;
                if (member.sent()) {
                    pending = new Finish(key, run.id(), attempt, Outcome.SKIPPED_ALREADY_SENT, null, ALREADY_SENT,
                            clock.instant());
                    continue;
                }
                pending = deliver(lease, run, email, attempt);
            }
            completed = true;
        } finally {
            if (pending != null) {
                journal.record(bulkJobId, pending, null);
            }
            // When the job ends, its recipients' outcomes are in the ledger, where the dashboard and reports look.
            if (completed) {
                journal.flush();
            } else {
                flushAfterFailure();
            }
        }
    }

    /**
     * One execution of a bulk job: its attempts carry the run's id, so a run that a journal fold brings to the ledger
     * late never takes the place of another run's attempt (decision 23).
     *
     * @param epoch the journal's {@link LedgerJournal#contactEpoch()} when the run last knew the job was its own
     */
    private record Run(UUID bulkJobId, UUID id, Instant startedAt, long epoch, long checkedAtNanos) {
        Run confirmed(long epochNow) {
            return new Run(bulkJobId, id, startedAt, epochNow, System.nanoTime());
        }
    }

    /**
     * Before each message: a run sends only while its outcomes reach the store, and only while the job is still its
     * own. A host that cannot reach the store cannot heartbeat either, and after JobRunr's server timeout another
     * host runs the job again; if this one went on sending meanwhile, both would deliver the same recipients, and
     * what it sent would reach the ledger (and the report) only after the other run had read it. So the run waits
     * while the journal cannot be folded, and once the store answers again (or every {@link #OWNERSHIP_CHECK}) it
     * checks that the job is still in its hands, and otherwise stops between two messages.
     */
    private Run awaitStoreAndOwnership(Run run, String host, int left, int of) throws Exception {
        Run current = run;
        while (true) {
            if (journal.storeAnswering()) {
                long epoch = journal.contactEpoch();
                boolean lostTouch = epoch != current.epoch();
                if (!lostTouch && System.nanoTime() - current.checkedAtNanos() < OWNERSHIP_CHECK.toNanos()) {
                    return current;
                }
                try {
                    boolean ours = ownership.stillRuns(current.bulkJobId(), current.startedAt());
                    if (!ours) {
                        throw new RunSupersededException("Host " + host + " stopped this run of bulk job "
                                + current.bulkJobId() + " between two messages: the job " + (lostTouch
                                ? "was handed to another run while this host could not reach the store"
                                : "is no longer this host's") + "; " + left + " of " + of + " recipients were left to it");
                    }
                    return current.confirmed(epoch);
                } catch (RuntimeException e) {
                    // The store stopped answering again while we asked: wait on.
                    LOG.log(System.Logger.Level.DEBUG, "Cannot check bulk job " + current.bulkJobId() + " yet: "
                            + e.getMessage());
                }
            }
            if (hostStopping.getAsBoolean()) {
                throw new HostStoppedException("Host " + host + " stopped taking work while it could not reach the"
                        + " store; " + left + " of " + of + " recipients handed back to the queue");
            }
            Thread.sleep(STORE_WAIT.toMillis());
        }
    }

    /** The job is failing already: its own error is what JobRunr records; the journal is folded later anyway. */
    private void flushAfterFailure() {
        try {
            journal.flush();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not fold the ledger journal after a failed bulk job: "
                    + e.getMessage());
        }
    }

    /** One e-mail of a bulk job; returns the outcome to record, or records it at once when it must not wait. */
    private Finish deliver(SmtpConnectionPool.Lease lease, Run run, OutboxEmail email, int attempt) throws Exception {
        UUID bulkJobId = run.bulkJobId();
        UUID key = email.jobId();
        try {
            lease.connect();
        } catch (DeliveryException e) {
            // No connection at all: every recipient would fail alike, so the bulk job fails and JobRunr retries it.
            journal.record(bulkJobId, finish(key, run, attempt, e), null);
            throw bounces(e) ? new PermanentJobFailure("Rejected for good: " + e.getMessage(), e) : e;
        } catch (InterruptedException e) {
            journal.record(bulkJobId, new Finish(key, run.id(), attempt, Outcome.TRANSIENT_FAILURE, null, STOPPED,
                    clock.instant()), null);
            Thread.currentThread().interrupt();
            throw e;
        }
        EmailMessage message;
        try {
            message = messages.messageOf(email);
        } catch (OutboxMessages.MissingAttachmentException e) {
            journal.record(bulkJobId, new Finish(key, run.id(), attempt, Outcome.PERMANENT_FAILURE, null, e.getMessage(),
                    clock.instant()), null);
            // The recipient's own job reads its attempts from the ledger: fold before handing it over.
            journal.flush();
            followUps.failed(key, email.id(), EmailQueue.jobName(email), "Cannot be sent in bulk job " + bulkJobId,
                    new PermanentJobFailure(e.getMessage(), e));
            return null;
        }
        try {
            DeliveryResult result = lease.send(message, MessageIds.forJob(key));
            return new Finish(key, run.id(), attempt, Outcome.SENT, replyCode(result.serverReply()), result.serverReply(),
                    clock.instant());
        } catch (DeliveryException e) {
            journal.record(bulkJobId, finish(key, run, attempt, e), null);
            journal.flush();
            if (bounces(e)) {
                followUps.failed(key, email.id(), EmailQueue.jobName(email), "Rejected for good in bulk job " + bulkJobId,
                        new PermanentJobFailure("Rejected for good: " + e.getMessage(), e));
            } else {
                followUps.retryLater(key, email.id(), EmailQueue.jobName(email), "Deferred in bulk job " + bulkJobId, e);
            }
            return null;
        } catch (InterruptedException e) {
            journal.record(bulkJobId, new Finish(key, run.id(), attempt, Outcome.TRANSIENT_FAILURE, null, STOPPED,
                    clock.instant()), null);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** Whether the operator's retry policy makes this refusal a bounce (no retry). */
    private boolean bounces(DeliveryException e) {
        return retryPolicy.get().decide(e.failure()) == RetryPolicy.Decision.BOUNCE;
    }

    private Finish finish(UUID key, Run run, int attempt, DeliveryException e) {
        Outcome outcome = bounces(e) ? Outcome.PERMANENT_FAILURE : Outcome.TRANSIENT_FAILURE;
        Integer code = e.failure().replyCode() > 0 ? e.failure().replyCode() : null;
        return new Finish(key, run.id(), attempt, outcome, code, e.failure().replyText(), clock.instant());
    }

    private static Integer replyCode(String reply) {
        if (reply != null && reply.length() >= 3 && reply.substring(0, 3).chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(reply.substring(0, 3));
        }
        return null;
    }

    /** How JobRunr's servers get this job: this one instance, built by the composition root; no other type runs. */
    public JobActivator activator() {
        return new JobActivator() {
            @Override
            public <T> T activateJob(Class<T> type) {
                if (type.isInstance(EmailJob.this)) {
                    return type.cast(EmailJob.this);
                }
                throw new IllegalArgumentException("JobDeck runs no jobs of type " + type.getName());
            }
        };
    }
}
