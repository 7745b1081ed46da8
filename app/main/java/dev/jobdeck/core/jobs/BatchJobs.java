package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.core.store.UnqueuedBatches;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobScheduler;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The JobRunr jobs of batches already committed to the outbox: whoever claims a batch's note (the process that queued
 * it, or the console's watcher for a script's batch or a claimant that died) creates its missing jobs, one per e-mail
 * or one per bulk, keeping the batch's schedule, and lets go of the note.
 */
final class BatchJobs {

    private static final System.Logger LOG = System.getLogger(BatchJobs.class.getName());
    /** How long a queue call waits while another claimant (the console's watcher) creates its batch's jobs. */
    private static final Duration OTHER_CLAIMANT_PATIENCE = Duration.ofSeconds(60);

    private final UnqueuedBatches unqueued;
    private final JobScheduler scheduler;
    private final Clock clock;
    private final Runnable jobsDue;

    BatchJobs(UnqueuedBatches unqueued, JobScheduler scheduler, Clock clock, Runnable jobsDue) {
        this.unqueued = unqueued;
        this.scheduler = scheduler;
        this.clock = clock;
        this.jobsDue = jobsDue;
    }

    /**
     * Creates the jobs of a batch this process just committed, or waits while another claimant (the console's
     * watcher) does. The batch is accepted either way: a failure here leaves its note for the console to finish.
     */
    void createJobsOf(UUID batchId) {
        long patience = System.nanoTime() + OTHER_CLAIMANT_PATIENCE.toNanos();
        try {
            while (true) {
                Optional<UnqueuedBatches.Claim> claim = unqueued.claim(batchId);
                if (claim.isPresent()) {
                    createJobs(claim.get());
                    return;
                }
                if (!unqueued.isWaiting(batchId) || System.nanoTime() > patience) {
                    return;
                }
                Thread.sleep(10);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Batch " + batchId + " is queued, but creating its jobs failed;"
                    + " the console creates them (at once, or when it next starts): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The jobs of every batch whose note is not claimed by another: the console's watcher calls this a few times a
     * second, so e-mails a script committed, or whose claimant died, get their jobs within a fraction of a second.
     * Returns how many e-mails got a job.
     */
    int createWaitingJobs() throws SQLException {
        int queued = 0;
        Exception failure = null;
        for (UUID batchId : unqueued.waiting()) {
            // One batch that fails does not hold up those behind it; its note stays for the next round.
            try {
                Optional<UnqueuedBatches.Claim> claim = unqueued.claim(batchId);
                if (claim.isPresent()) {
                    queued += createJobs(claim.get());
                }
            } catch (SQLException | RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof SQLException sql) {
            throw sql;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
        return queued;
    }

    /** Creates the claimed batch's missing jobs, keeping their schedule, and lets go of its note. */
    private int createJobs(UnqueuedBatches.Claim claim) throws SQLException {
        try (claim) {
            Instant runAt = claim.runAt().orElse(null);
            List<UnqueuedBatches.Email> singles = claim.emailsWithoutJob();
            if (!singles.isEmpty()) {
                createJobs(singles, runAt);
            }
            List<Outbox.Bulk> bulks = claim.bulksWithoutJob();
            if (!bulks.isEmpty()) {
                createBulkJobs(bulks, runAt);
            }
            claim.done();
            int queued = singles.size() + bulks.stream().mapToInt(Outbox.Bulk::recipients).sum();
            if (queued > 0 && (runAt == null || !runAt.isAfter(clock.instant()))) {
                jobsDue.run();
            }
            return queued;
        }
    }

    void createJobs(List<UnqueuedBatches.Email> emails, Instant runAt) {
        scheduler.create(emails.stream().map(email -> {
            UUID emailId = email.id();
            JobBuilder job = JobBuilder.aJob()
                    .withId(email.jobId())
                    .withName(jobName(email.to(), email.subject()))
                    .<EmailJob>withJobLambda(handler -> handler.send(emailId));
            return runAt == null ? job : job.scheduleAt(runAt);
        }));
    }

    void createBulkJobs(List<Outbox.Bulk> bulks, Instant runAt) {
        scheduler.create(bulks.stream().map(bulk -> {
            UUID bulkJobId = bulk.jobId();
            JobBuilder job = JobBuilder.aJob()
                    .withId(bulkJobId)
                    .withName(bulkJobName(bulk))
                    .<EmailJob>withJobLambda(handler -> handler.sendBulk(bulkJobId));
            return runAt == null ? job : job.scheduleAt(runAt);
        }));
    }

    static String jobName(OutboxEmail email) {
        return jobName(email.to(), email.subject());
    }

    private static String jobName(String to, String subject) {
        return "E-mail to " + to + ": " + shortSubject(subject);
    }

    private static String bulkJobName(Outbox.Bulk bulk) {
        return "E-mails to " + bulk.firstRecipient() + " and " + (bulk.recipients() - 1) + " more: "
                + shortSubject(bulk.subject());
    }

    private static String shortSubject(String subject) {
        return subject.length() > 80 ? subject.substring(0, 80) + "…" : subject;
    }
}
