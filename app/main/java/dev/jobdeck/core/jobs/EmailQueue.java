package dev.jobdeck.core.jobs;

import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxAttachment;
import dev.jobdeck.core.store.OutboxEmail;
import dev.jobdeck.core.templates.MissingFieldsException;
import dev.jobdeck.core.templates.RenderedEmail;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.scheduling.RecurringJobBuilder;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * Turns a Compose request into durable work: one outbox row per recipient, its subject and body merged with that
 * recipient's fields (so the row is what was sent), and a JobRunr job per recipient or, for a long list, per bulk
 * of recipients (decision 10). The outbox rows (and the batch's attachments, stored once) are committed in one
 * transaction first, then the jobs are saved in batches through JobRunr's stream API; only when both are
 * committed does {@link #queue} return. Rows whose jobs were not created because the process died in between are
 * completed by {@link #recoverUnqueued()} on start.
 */
public final class EmailQueue {

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
    private final Runnable jobsDue;
    private final TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator();

    public EmailQueue(Outbox outbox, JobScheduler scheduler, Clock clock) {
        this(outbox, scheduler, clock, () -> DeliverySettings.defaults().batchSize());
    }

    /** @param bulkSize the most recipients one bulk job delivers, read at each queue; 1 for one job per e-mail */
    public EmailQueue(Outbox outbox, JobScheduler scheduler, Clock clock, IntSupplier bulkSize) {
        this(outbox, scheduler, clock, bulkSize, () -> { });
    }

    /** @param jobsDue told once jobs due now are queued, so this process's host can start them without waiting for its poll */
    public EmailQueue(Outbox outbox, JobScheduler scheduler, Clock clock, IntSupplier bulkSize, Runnable jobsDue) {
        this.jobsDue = jobsDue;
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

    public QueueResult queue(SendRequest request) throws InvalidSendRequestException, SQLException {
        ValidSend send = validator.validate(request);
        UUID batchId = ids.generate();
        Instant now = clock.instant();
        if (send.cron() != null) {
            return queueRecurring(send, batchId, now);
        }
        QueueResult result = queueOneOff(send, batchId, now);
        if (send.runAt() == null) {
            jobsDue.run();
        }
        return result;
    }

    /**
     * Each e-mail gets its own id in {@code job_id} either way: the id of its job, or, in a bulk, the id its own
     * job gets should it need one (a retry or a bounce). The Message-ID derives from it, so it never changes.
     * The result lists, for every recipient, the job that delivers it (a bulk job's id repeats).
     */
    private QueueResult queueOneOff(ValidSend send, UUID batchId, Instant now) throws SQLException {
        List<OutboxAttachment> attachments = attachmentsOf(send, batchId);
        List<UUID> attachmentIds = attachments.stream().map(OutboxAttachment::id).toList();
        List<OutboxEmail> emails = new ArrayList<>(send.recipients().size());
        for (Recipient recipient : send.recipients()) {
            emails.add(row(send, recipient, ids.generate(), OutboxEmail.Kind.ONE_OFF, ids.generate(), null, batchId, now,
                    attachmentIds));
        }
        List<Integer> sizes = bulkSizes(emails.size(), bulkSize.getAsInt());
        if (sizes.isEmpty()) {
            outbox.insertAll(emails, attachments);
            createJobs(emails, send.runAt());
            outbox.markJobsCreated(batchId);
            return new QueueResult(batchId, emails.stream().map(OutboxEmail::jobId).toList(), List.of(),
                    send.runAt() == null ? now : send.runAt());
        }
        Map<UUID, UUID> bulkOf = new HashMap<>();
        List<Outbox.Bulk> bulks = new ArrayList<>();
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
            bulks.add(new Outbox.Bulk(bulkJobId, members.get(0).to(), members.size(), send.subject()));
        }
        outbox.insertBulk(emails, attachments, email -> bulkOf.get(email.id()));
        createBulkJobs(bulks, send.runAt());
        outbox.markJobsCreated(batchId);
        return new QueueResult(batchId, jobOfEach, List.of(), send.runAt() == null ? now : send.runAt());
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

    private void createJobs(List<OutboxEmail> emails, Instant runAt) {
        scheduler.create(emails.stream().map(email -> {
            UUID emailId = email.id();
            JobBuilder job = JobBuilder.aJob()
                    .withId(email.jobId())
                    .withName(jobName(email))
                    .<EmailJob>withJobLambda(handler -> handler.send(emailId));
            return runAt == null ? job : job.scheduleAt(runAt);
        }));
    }

    private void createBulkJobs(List<Outbox.Bulk> bulks, Instant runAt) {
        scheduler.create(bulks.stream().map(bulk -> {
            UUID bulkJobId = bulk.jobId();
            JobBuilder job = JobBuilder.aJob()
                    .withId(bulkJobId)
                    .withName(bulkJobName(bulk))
                    .<EmailJob>withJobLambda(handler -> handler.sendBulk(bulkJobId));
            return runAt == null ? job : job.scheduleAt(runAt);
        }));
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

    /** Creates the jobs of outbox rows that were committed just before a crash; returns how many. */
    public int recoverUnqueued() throws SQLException {
        List<OutboxEmail> unqueued = outbox.withoutJob();
        if (!unqueued.isEmpty()) {
            createJobs(unqueued, null);
        }
        List<Outbox.Bulk> bulks = outbox.bulksWithoutJob();
        if (!bulks.isEmpty()) {
            createBulkJobs(bulks, null);
        }
        outbox.markAllJobsCreated();
        return unqueued.size() + bulks.stream().mapToInt(Outbox.Bulk::recipients).sum();
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
        return "E-mail to " + email.to() + ": " + shortSubject(email.subject());
    }

    private static String bulkJobName(Outbox.Bulk bulk) {
        return "E-mails to " + bulk.firstRecipient() + " and " + (bulk.recipients() - 1) + " more: "
                + shortSubject(bulk.subject());
    }

    private static String shortSubject(String subject) {
        return subject.length() > 80 ? subject.substring(0, 80) + "…" : subject;
    }
}
