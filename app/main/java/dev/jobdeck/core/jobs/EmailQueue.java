package dev.jobdeck.core.jobs;

import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxAttachment;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.core.store.UnqueuedBatches;
import dev.jobdeck.core.templates.MissingFieldsException;
import dev.jobdeck.core.templates.RenderedEmail;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.scheduling.RecurringJobBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * Turns a Compose request into durable work: one outbox row per recipient, its subject and body merged with that
 * recipient's fields (so the row is what was sent), and a JobRunr job per recipient or, for a long list, per bulk
 * of recipients (decision 10). The outbox rows (and the batch's attachments, stored once), a note that the batch's
 * jobs are still to be created and the batch's key are committed in one transaction: that commit accepts the batch,
 * whole. Then whoever claims the note creates the jobs ({@link UnqueuedBatches}, decision 20): this process, which
 * returns once they exist, or, for a script on the store a console serves, that console, whose watcher calls
 * {@link #createWaitingJobs()} a few times a second; it also finishes what a claimant that died left undone, and
 * {@link #recoverUnqueued()} what a crash left before the store is served again.
 */
public final class EmailQueue {

    private static final System.Logger LOG = System.getLogger(EmailQueue.class.getName());
    /** The longest batch key a sender may choose. */
    public static final int MAX_KEY_LENGTH = 200;

    /** A list is spread over at least this many jobs, so that every worker of a few hosts has work. */
    static final int SPREAD = 64;
    /** The first bulk job of a list is this many times the mean, the last one {@code 2 - TAPER} times. */
    static final double TAPER = 1.5;

    private final Outbox outbox;
    private final JobScheduler scheduler;
    private final SendRequestValidator validator;
    private final Clock clock;
    private final ZoneId zone;
    private final IntSupplier bulkSize;
    private final boolean createsJobs;
    private final BatchJobs jobs;
    private final TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator();

    /**
     * @param bulkSize    the most recipients one bulk job delivers, read at each queue; 1 for one job per e-mail
     * @param createsJobs false in a script on the store a console serves: that console creates the jobs, and
     *                    {@link #queue} returns once the e-mails are committed
     * @param jobsDue     told once jobs due now were created, so every host can start them without waiting for its poll
     */
    public EmailQueue(Outbox outbox, UnqueuedBatches unqueued, JobScheduler scheduler, Clock clock, IntSupplier bulkSize,
                      boolean createsJobs, Runnable jobsDue) {
        this.jobs = new BatchJobs(unqueued, scheduler, clock, jobsDue);
        this.createsJobs = createsJobs;
        this.outbox = outbox;
        this.scheduler = scheduler;
        this.clock = clock;
        this.zone = clock.getZone();
        this.validator = new SendRequestValidator(clock);
        this.bulkSize = bulkSize;
    }

    public SendRequestValidator validator() {
        return validator;
    }

    /** A fresh batch id, time-ordered, for a caller that must name the batch before it is queued. */
    public UUID newBatchId() {
        return ids.generate();
    }

    public QueueResult queue(SendRequest request) throws InvalidSendRequestException, SQLException {
        try {
            return queue(request, newBatchId(), null);
        } catch (BatchKeyConflictException e) {
            throw new IllegalStateException("a batch without a key cannot conflict", e);
        }
    }

    /**
     * Queues {@code request} as batch {@code batchId}. With a {@code key}, a batch queued before under that key with the
     * same e-mails is returned instead (nothing is queued twice; {@link QueueResult#alreadyQueued()}); one with
     * other e-mails refuses the request. A cron schedule takes no key.
     *
     * @throws dev.jobdeck.core.store.CommitUnconfirmedException when the store stopped answering during the commit:
     *         whether the batch was accepted only the store can tell (by its id, or its key)
     * @throws SQLException for any other failure of the store, before anything was written
     */
    public QueueResult queue(SendRequest request, UUID batchId, String key)
            throws InvalidSendRequestException, BatchKeyConflictException, SQLException {
        return queue(request, batchId, key, emails -> { });
    }

    /** {@link #queue(SendRequest, UUID, String)}, telling {@code committing} how many e-mails just before the commit. */
    public QueueResult queue(SendRequest request, UUID batchId, String key, IntConsumer committing)
            throws InvalidSendRequestException, BatchKeyConflictException, SQLException {
        keyProblem(key).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        ValidSend send = validator.validate(request);
        Instant now = clock.instant();
        if (send.cron() != null) {
            if (key != null) {
                throw new IllegalArgumentException("A cron schedule takes no batch key: its runs are queued by JobRunr.");
            }
            return queueRecurring(send, batchId, now);
        }
        return queueOneOff(send, request.when(), batchId, key, now, committing);
    }

    /** Why {@code key} cannot name a batch; empty when it can (null: no key). */
    public static Optional<String> keyProblem(String key) {
        if (key == null) {
            return Optional.empty();
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            return Optional.of("A batch key has 1 to " + MAX_KEY_LENGTH + " characters, not all spaces.");
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("A batch key cannot contain control characters such as line breaks or tabs.");
        }
        return Optional.empty();
    }

    /**
     * Each e-mail gets its own id in {@code job_id} either way: the id of its job, or, in a bulk, the id its own
     * job gets should it need one (a retry or a bounce). The Message-ID derives from it, so it never changes.
     * The result lists, for every recipient, the job that delivers it (a bulk job's id repeats).
     */
    private QueueResult queueOneOff(ValidSend send, When when, UUID batchId, String key, Instant now,
                                    IntConsumer committing) throws SQLException, BatchKeyConflictException {
        List<OutboxAttachment> attachments = attachmentsOf(send, batchId);
        List<UUID> attachmentIds = attachments.stream().map(OutboxAttachment::id).toList();
        List<OutboxEmail> emails = new ArrayList<>(send.recipients().size());
        for (Recipient recipient : send.recipients()) {
            emails.add(row(send, recipient, ids.generate(), OutboxEmail.Kind.ONE_OFF, ids.generate(), null, batchId, now,
                    attachmentIds));
        }
        List<Integer> sizes = bulkSizes(emails.size(), bulkSize.getAsInt());
        Outbox.NewBatch batch = new Outbox.NewBatch(batchId, send.runAt(),
                key == null ? null : new Outbox.BatchKey(key, fingerprint(emails, attachments, when)));
        Instant firstRun = send.runAt() == null ? now : send.runAt();
        Map<UUID, UUID> bulkOf = new HashMap<>();
        List<UUID> jobOfEach = new ArrayList<>(emails.size());
        int from = 0;
        for (int size : sizes) {
            List<OutboxEmail> members = emails.subList(from, from + size);
            from += size;
            UUID bulkJobId = ids.generate();
            for (OutboxEmail member : members) {
                bulkOf.put(member.id(), bulkJobId);
                jobOfEach.add(bulkJobId);
            }
        }
        if (sizes.isEmpty()) {
            emails.forEach(email -> jobOfEach.add(email.jobId()));
        }
        // Looked up first so that a retry says nothing of queueing; the transaction looks again, for a race.
        Optional<Outbox.KeyedBatch> earlier = key == null ? Optional.empty() : outbox.keyedBatch(key);
        if (earlier.isEmpty()) {
            committing.accept(emails.size());
            earlier = outbox.insertBatch(batch, emails, attachments, email -> bulkOf.get(email.id()));
        }
        if (earlier.isPresent()) {
            if (!earlier.get().fingerprint().equals(batch.key().fingerprint())) {
                throw new BatchKeyConflictException(key, earlier.get().batchId());
            }
            UUID earlierId = earlier.get().batchId();
            return new QueueResult(earlierId, outbox.jobsOfBatch(earlierId), List.of(), firstRun, true);
        }
        if (createsJobs) {
            jobs.createJobsOf(batchId);
        }
        return new QueueResult(batchId, jobOfEach, List.of(), firstRun);
    }

    /**
     * The jobs of every batch whose note is not claimed by another: the console's watcher calls this a few times a
     * second, so e-mails a script committed, or whose claimant died, get their jobs within a fraction of a second.
     * Returns how many e-mails got a job.
     */
    public int createWaitingJobs() throws SQLException {
        return jobs.createWaitingJobs();
    }

    /**
     * What a batch sends, as a SHA-256: its e-mails as merged, their attachments and when. A retried {@code send}
     * with the same key and the same input has the same fingerprint; any difference in what would be sent changes it.
     */
    static String fingerprint(List<OutboxEmail> emails, List<OutboxAttachment> attachments, When when) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        update(digest, String.valueOf(when));
        for (OutboxAttachment stored : attachments) {
            update(digest, stored.attachment().fileName());
            update(digest, stored.attachment().contentType());
            digest.update(stored.attachment().content());
        }
        for (OutboxEmail email : emails) {
            for (String part : List.of(email.from(), email.to(), email.cc(), email.bcc(), email.subject(), email.body(),
                    email.format().name(), email.textAlternative(), email.templateName())) {
                update(digest, part);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A string and its length, so that no two sequences of strings digest alike. */
    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    /**
     * How a list of {@code recipients} is cut into bulk jobs of at most {@code bulkSize}, in the list's order;
     * empty for one job per e-mail (a list of up to {@link #SPREAD} recipients, or a bulk size of 1). At least
     * {@link #SPREAD} jobs, so every worker of a few hosts has work, whose sizes fall evenly along the list from
     * {@link #TAPER} times their mean to {@code 2 - TAPER} times it, the first one at most the bulk size. Workers take jobs oldest first, so equal jobs
     * would end together, every worker doing JobRunr's bookkeeping at the same moment, and the list would end on
     * one long job; tapered ones end apart and the list ends on short ones (decision 17).
     */
    static List<Integer> bulkSizes(int recipients, int bulkSize) {
        int max = Math.max(1, bulkSize);
        if (max == 1 || recipients <= SPREAD) {
            return List.of();
        }
        int jobs = Math.min(recipients, Math.max(SPREAD, (int) Math.ceil(TAPER * recipients / max)));
        List<Integer> sizes = new ArrayList<>(jobs);
        long before = 0;
        for (int job = 1; job <= jobs; job++) {
            // The share of the list in jobs 1..job, where a job's size falls linearly along the list.
            double x = (double) job / jobs;
            long upTo = job == jobs ? recipients : Math.round(recipients * (TAPER * x - (TAPER - 1) * x * x));
            if (upTo > before) {
                sizes.add((int) (upTo - before));
                before = upTo;
            }
        }
        return sizes;
    }

    /**
     * The outbox row of one recipient, merged now: the row holds exactly what this person is sent. The
     * validator checked every recipient against the template, so merging cannot fail here.
     */
    private static OutboxEmail row(ValidSend send, Recipient recipient, UUID id, OutboxEmail.Kind kind, UUID jobId,
                                   String recurringJobId, UUID batchId, Instant now, List<UUID> attachmentIds) {
        RenderedEmail mail;
        try {
            mail = send.template().render(recipient.fields());
        } catch (MissingFieldsException e) {
            throw new IllegalStateException("Recipient " + recipient.address() + " was checked but lacks fields", e);
        }
        return new OutboxEmail(id, kind, jobId, recurringJobId, batchId, send.from(), recipient.address(), send.cc(),
                send.bcc(), mail.subject(), mail.body(), now, attachmentIds, mail.format(), mail.textAlternative(),
                send.templateName());
    }

    private QueueResult queueRecurring(ValidSend send, UUID batchId, Instant now) throws SQLException {
        List<OutboxAttachment> attachments = attachmentsOf(send, batchId);
        List<UUID> attachmentIds = attachments.stream().map(OutboxAttachment::id).toList();
        List<OutboxEmail> templates = new ArrayList<>();
        for (Recipient recipient : send.recipients()) {
            UUID id = ids.generate();
            templates.add(row(send, recipient, id, OutboxEmail.Kind.RECURRING_TEMPLATE, null, "email-" + id, batchId, now,
                    attachmentIds));
        }
        outbox.insertAll(templates, attachments);
        List<String> ids = new ArrayList<>();
        for (OutboxEmail template : templates) {
            UUID templateId = template.id();
            ids.add(scheduler.createRecurrently(RecurringJobBuilder.aRecurringJob()
                    .withId(template.recurringJobId())
                    .withName(jobName(template) + " (" + send.cron() + ")")
                    .withCron(send.cron())
                    .withZoneId(zone)
                    .<EmailJob>withJobLambda(handler -> handler.send(templateId))));
        }
        return new QueueResult(batchId, List.of(), ids, send.runAt());
    }

    /**
     * Hands e-mails to an in-memory host instead of JobRunr, as {@code QueueBackgroundWorkItem} would: the rows
     * are written (so the survival report can count them) but no job exists, so nothing re-runs what that
     * host's executor loses when it dies. Only "now" is accepted: a plain executor has no schedule.
     */
    public QueueResult handToMemoryHost(SendRequest request, UUID memoryHost) throws InvalidSendRequestException, SQLException {
        ValidSend send = validator.validate(request);
        if (send.cron() != null || send.runAt() != null) {
            throw new InvalidSendRequestException(java.util.Map.of(SendRequest.Field.WHEN,
                    "An in-memory host runs e-mails at once; it has no schedule."));
        }
        UUID batchId = ids.generate();
        Instant now = clock.instant();
        List<OutboxAttachment> attachments = attachmentsOf(send, batchId);
        List<UUID> attachmentIds = attachments.stream().map(OutboxAttachment::id).toList();
        List<OutboxEmail> emails = new ArrayList<>(send.recipients().size());
        for (Recipient recipient : send.recipients()) {
            emails.add(row(send, recipient, ids.generate(), OutboxEmail.Kind.IN_MEMORY, null, null, batchId, now,
                    attachmentIds));
        }
        outbox.handOver(emails, attachments, memoryHost);
        return new QueueResult(batchId, List.of(), List.of(), now);
    }

    /**
     * Creates the jobs of outbox rows that were committed just before a crash, before the store is served again;
     * returns for how many e-mails. Rows from before the batches' notes carry a flag of their own.
     */
    public int recoverUnqueued() throws SQLException {
        int queued = jobs.createWaitingJobs();
        List<UnqueuedBatches.Email> legacy = outbox.legacyWithoutJob().stream()
                .map(email -> new UnqueuedBatches.Email(email.id(), email.jobId(), email.to(), email.subject())).toList();
        if (!legacy.isEmpty()) {
            jobs.createJobs(legacy, null);
        }
        List<Outbox.Bulk> bulks = outbox.legacyBulksWithoutJob();
        if (!bulks.isEmpty()) {
            jobs.createBulkJobs(bulks, null);
        }
        outbox.markLegacyJobsCreated();
        return queued + legacy.size() + bulks.stream().mapToInt(Outbox.Bulk::recipients).sum();
    }

    /** The batch's attachments, stored once and referenced by every recipient's row. */
    private List<OutboxAttachment> attachmentsOf(ValidSend send, UUID batchId) {
        List<OutboxAttachment> stored = new ArrayList<>(send.attachments().size());
        for (int i = 0; i < send.attachments().size(); i++) {
            stored.add(new OutboxAttachment(ids.generate(), batchId, i, send.attachments().get(i)));
        }
        return stored;
    }

    static String jobName(OutboxEmail email) {
        return BatchJobs.jobName(email);
    }
}
