package dev.jobdeck.testsupport;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.EmailJob;
import dev.jobdeck.core.jobs.MessageIds;
import dev.jobdeck.core.jobs.PermanentJobFailure;
import dev.jobdeck.core.jobs.RetentionPass;
import dev.jobdeck.core.settings.RetryPolicy;
import dev.jobdeck.core.mail.TransientDeliveryException;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.StoreIndexes;
import org.h2.jdbcx.JdbcDataSource;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.SchedulableState;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.jobs.states.SucceededState;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.JobUtils;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Fills a real JobDeck store (opened as a console opens it, so its schema, users and password files are real) with N
 * JobRunr jobs in the mix an operator's store holds after a day and a half of sending: mostly Succeeded history spread
 * over the last ~35 h (JobRunr deletes succeeded jobs after 36 h), bounces (550) and 4xx failures whose retries ran
 * out, deferred recipients waiting for their next retry, single jobs and bulk jobs (whose recipients are rows of
 * {@code jd_email} naming the bulk job, a few of them deferred into a job of their own as {@code FollowUpJobs} does),
 * a backlog of Enqueued jobs, e-mails planned for later, and a few recurring e-mails. Every job is a real JobRunr job:
 * built from JobRunr's own states and saved through the store's {@link StorageProvider} (JobRunr's own JSON and
 * columns), in batches; the outbox and ledger rows beside them are what JobDeck writes for such jobs. The same seed
 * and {@code now} give the same store.
 */
public final class StoreGenerator {

    /** The kinds of job the generator writes, each with the e-mails and attempts such a job leaves. */
    public enum Kind {
        /** One e-mail, accepted (250) on its first attempt. */
        SUCCEEDED,
        /** A bulk job whose recipients were all accepted, except those deferred into jobs of their own. */
        BULK_SUCCEEDED,
        /** Refused for good (550) on its first attempt: Failed, no retry. */
        BOUNCED,
        /** Deferred (4xx) on every attempt until the retry policy gave up: Failed. */
        EXHAUSTED,
        /** Deferred (4xx) a few times, Scheduled for its next retry. */
        DEFERRED,
        /** A recipient of a bulk job deferred there and given a job of its own, Scheduled for its next retry. */
        DEFERRED_BULK_RECIPIENT,
        /** Queued, waiting for a worker. */
        ENQUEUED,
        /** Planned for a later time by the sender. */
        SCHEDULED
    }

    /**
     * Shares of the jobs by kind (Succeeded singles take the rest), the recipients of each bulk job, and how many
     * recurring e-mails. {@code deferredBulkRecipients} is the share of the deferred jobs that are bulk recipients'.
     */
    public record Mix(double bounced, double exhausted, double deferred, double deferredBulkRecipients, double enqueued,
                      double scheduled, double bulk, int bulkRecipients, int recurring) {

        public Mix {
            double rest = 1 - bounced - exhausted - deferred - enqueued - scheduled - bulk;
            if (rest < -1e-9 || bounced < 0 || exhausted < 0 || deferred < 0 || enqueued < 0 || scheduled < 0 || bulk < 0
                    || deferredBulkRecipients < 0 || deferredBulkRecipients > 1 || bulkRecipients < 0 || recurring < 0) {
                throw new IllegalArgumentException("shares between 0 and 1 that add up to at most 1: " + this);
            }
        }

        /** What a store looks like after a day and a half of a site's notifications and a campaign or two. */
        public static Mix realistic() {
            return new Mix(0.03, 0.01, 0.06, 0.5, 0.02, 0.015, 0.005, 20, 3);
        }

        /** Only Enqueued single jobs: a backlog waiting for delivery. */
        public static Mix backlog() {
            return new Mix(0, 0, 0, 0, 1, 0, 0, 0, 0);
        }
    }

    /** What was written: jobs per kind and per state, e-mails and their fate as the survival report counts them. */
    public record Summary(long jobs, Map<Kind, Long> jobsOfKind, Map<StateName, Long> jobsByState, long emails,
                          long delivered, long failed, long pending, long attempts, int recurringJobs, Duration took) {

        public long jobsOf(Kind kind) {
            return jobsOfKind.getOrDefault(kind, 0L);
        }

        public long jobsIn(StateName state) {
            return jobsByState.getOrDefault(state, 0L);
        }
    }

    /** JobRunr deletes succeeded jobs after 36 h: the history stays inside that window. */
    static final Duration HISTORY = Duration.ofHours(35);
    /** Jobs per commit (5,000 made a 100,000-job store twice the size: H2 wrote the open transaction's pages twice). */
    private static final int CHUNK = 1_000;
    private static final int ROWS_PER_INSERT = 100;
    private static final String FROM = "notifications@shop.example";
    private static final String[] DOMAINS = {"example.org", "example.com", "mail.example.net", "post.example.de",
            "example.co.uk", "inbox.example.fr"};
    private static final String[] SUBJECTS = {"Your order %d has shipped", "Receipt for order %d",
            "Reset your password (request %d)", "Your weekly summary, week %d", "Reminder: invoice %d is due"};
    private static final String BODY = """
            Dear %s,

            thank you for your order %d. It left our warehouse today and should reach you within two working days.
            You can follow the parcel with the tracking number %d on our carrier's site.

            If anything is missing or damaged, reply to this e-mail and we will sort it out.

            Kind regards,
            The shop team
            """;
    private static final String PERFORM_FAILED = "An exception occurred during the performance of the job";
    private static final String[] DEFERRALS = {"451 4.7.1 Greylisted, please try again later",
            "421 4.7.0 Too many connections from your host, try again later",
            "452 4.2.2 Mailbox full, try again later", "450 4.2.0 Temporary local problem, try again later"};
    private static final String[] BOUNCES = {"550 5.1.1 Recipient address rejected: User unknown",
            "550 5.7.1 Message rejected as spam", "553 5.1.3 Bad recipient address syntax"};
    private static final String STACK = """
            \tat dev.jobdeck.core.mail.SmtpConnectionPool$Lease.send(SmtpConnectionPool.java:214)
            \tat dev.jobdeck.core.jobs.EmailJob.send(EmailJob.java:121)
            \tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
            \tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)
            \tat java.base/java.lang.reflect.Method.invoke(Method.java:569)
            \tat org.jobrunr.server.runner.AbstractBackgroundJobRunner$BackgroundJobWorker.invokeJobMethod(AbstractBackgroundJobRunner.java:70)
            \tat org.jobrunr.server.runner.AbstractBackgroundJobRunner$BackgroundJobWorker.run(AbstractBackgroundJobRunner.java:50)
            \tat org.jobrunr.server.BackgroundJobPerformer.runActualJob(BackgroundJobPerformer.java:99)
            \tat org.jobrunr.server.BackgroundJobPerformer.performJob(BackgroundJobPerformer.java:74)
            \tat org.jobrunr.server.BackgroundJobPerformer.run(BackgroundJobPerformer.java:46)
            \tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)
            \tat java.base/java.lang.Thread.run(Thread.java:840)
            """;

    private final long seed;
    private final Instant now;
    private final Mix mix;
    private final RetryPolicy policy = RetryPolicy.defaults();

    private SplittableRandom random;
    private UUID[] hostIds;
    private String[] hostNames;
    private UUID batchId;
    private int batchLeft;
    /** The time ids are made of while a slot of the plan is written; see {@link #uuid}. */
    private Instant idTime;
    private long idMillis;
    private int idSequence;

    public StoreGenerator(long seed, Instant now, Mix mix) {
        this.seed = seed;
        this.now = now;
        this.mix = mix;
    }

    /**
     * Creates (or adds to) the data directory {@code dir} as a console opens it, without its SMTP sink or host, and
     * fills it: see {@link #fill}. The jobs' times are relative to now.
     */
    public static Summary generate(Path dir, int jobs, long seed, Mix mix, IntConsumer progress) throws Exception {
        ConsoleServices.Options console = ConsoleServices.Options.console();
        ConsoleServices.Options options = new ConsoleServices.Options(console.role(), false, 0, console.engine(),
                console.clock());
        StoreGenerator generator = new StoreGenerator(seed, Instant.now(), mix);
        generator.finishLater = true;
        Summary summary;
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), options)) {
            summary = generator.fill(services, jobs, progress);
        }
        // With the console closed: its retention pass, every minute, would hold the e-mails' rows an index build waits for.
        DataDirectory directory = new DataDirectory(dir);
        String password = java.nio.file.Files.readString(dir.resolve("db.password")).strip();
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + directory.databaseFile().toString().replaceFirst("\\.mv\\.db$", ""));
        dataSource.setUser("jobdeck");
        dataSource.setPassword(password);
        // H2 may still be closing the console's database on its own thread (seconds for a file of gigabytes).
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            // Open while the settlement takes connections of its own: the database stays open between them.
            try (Connection connection = dataSource.getConnection()) {
                generator.finish(connection, dataSource);
                return summary;
            } catch (SQLException e) {
                // 90020: "Database may be already in use", the file still locked by the closing database.
                if (e.getErrorCode() != 90020 || System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** Set by {@link #generate}: the e-mails' indexes and the settlement wait until the console is closed. */
    private boolean finishLater;
    private List<StoreIndexes.Index> droppedEmailIndexes = List.of();

    /**
     * Builds the e-mails' indexes dropped for the fill (on {@code connection}) and settles what was delivered as a
     * console's retention pass would within a minute of its delivery (decision 26), with the pass's own settlement.
     */
    private void finish(Connection connection, DataSource dataSource) throws SQLException {
        createIndexes(connection, droppedEmailIndexes);
        droppedEmailIndexes = List.of();
        RetentionPass.settle(dataSource, Clock.fixed(now, ZoneOffset.UTC));
    }

    /**
     * Writes {@code jobs} jobs (and their e-mails, attempts, hosts and the recurring e-mails) into the store of an open
     * console, which should run no host meanwhile; {@code progress} hears the jobs written so far after each batch.
     */
    public Summary fill(ConsoleServices services, int jobs, IntConsumer progress) throws SQLException {
        long start = System.nanoTime();
        random = new SplittableRandom(seed);
        idTime = null;
        idMillis = 0;
        Kind[] plan = plan(jobs);
        registerHosts(services);
        // What JobRunr's first server writes into a new store; without it the next one "migrates" every Scheduled job
        // from JobRunr 5 at its start (37 s of CPU for 7,500 of them), which no store a console made ever needs.
        services.parts().engine().storage().saveMetadata(new org.jobrunr.storage.JobRunrMetadata("database_version", "cluster", "6.0.0"));
        Tally tally = new Tally();
        StorageProvider storage = services.parts().engine().storage();
        JobMapper mapper = new JobMapper(new JacksonJsonMapper());
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Rows jobRows = new Rows(connection, "jobrunr_jobs", "id, version, jobAsJson, jobSignature, state, createdAt,"
                     + " updatedAt, scheduledAt, recurringJobId");
             Rows emails = new Rows(connection, "jd_email", "id, kind, job_id, recurring_job_id, batch_id, from_addr,"
                     + " to_addr, cc, bcc, subject, body, created_at, attachment_ids, body_format, text_alt, template_name,"
                     + " bulk_job_id");
             Rows attempts = new Rows(connection, "jd_delivery_attempt", "job_id, attempt, email_id, host, started_at,"
                     + " finished_at, outcome, smtp_code, smtp_reply, message_id, run_id")) {
            // E-mails come in no order of address or subject: their indexes on those would have pages all over the file
            // rewritten by every commit (a 100,000-job store was 3 GB, 12 % of its chunks live). Built once at the end.
            droppedEmailIndexes = dropIndexes(connection, "JD_EMAIL");
            connection.setAutoCommit(false);
            List<Job> batch = new ArrayList<>(CHUNK);
            // Each bulk job brings the jobs of its deferred recipients along: the plan leaves them out.
            int deferredBulk = jobs - plan.length;
            int bulks = (int) count(plan, Kind.BULK_SUCCEEDED);
            int bulkIndex = 0;
            int written = 0;
            for (int i = 0; i < plan.length; i++) {
                Kind kind = plan[i];
                // Spread over the history in order: job i was queued at about the i-th share of it.
                double along = (i + random.nextDouble()) / plan.length;
                Instant queued = now.minus(HISTORY).plusMillis((long) (HISTORY.toMillis() * along));
                idTime = queued;
                switch (kind) {
                    case SUCCEEDED -> batch.add(succeeded(queued, emails, attempts, tally));
                    case BULK_SUCCEEDED -> {
                        int deferHere = deferredBulk / bulks + (bulkIndex++ < deferredBulk % bulks ? 1 : 0);
                        List<Job> followUps = new ArrayList<>();
                        batch.add(bulk(queued, deferHere, emails, attempts, followUps, tally));
                        batch.addAll(followUps);
                        tally.jobsOfKind.merge(Kind.DEFERRED_BULK_RECIPIENT, (long) followUps.size(), Long::sum);
                    }
                    case BOUNCED -> batch.add(bounced(queued, emails, attempts, tally));
                    case EXHAUSTED -> batch.add(exhausted(emails, attempts, tally));
                    case DEFERRED -> batch.add(deferred(emails, attempts, tally));
                    case ENQUEUED -> batch.add(enqueued(along, emails, tally));
                    case SCHEDULED -> batch.add(scheduled(along, emails, tally));
                    default -> throw new IllegalStateException("not planned: " + kind);
                }
                tally.jobsOfKind.merge(kind, 1L, Long::sum);
                if (batch.size() >= CHUNK || i == plan.length - 1) {
                    for (Job job : batch) {
                        jobRows.add(jobRow(mapper, job));
                        tally.jobsByState.merge(job.getState(), 1L, Long::sum);
                    }
                    written += batch.size();
                    batch.clear();
                    jobRows.flush();
                    emails.flush();
                    attempts.flush();
                    connection.commit();
                    progress.accept(written);
                }
            }
            if (written != jobs) {
                throw new IllegalStateException("wrote " + written + " jobs, not " + jobs);
            }
            idTime = null;
            int recurring = recurring(storage, emails);
            emails.flush();
            connection.commit();
            if (!finishLater) {
                finish(connection, services.parts().database().dataSource());
            }
            return new Summary(jobs, tally.jobsOfKind, tally.jobsByState, tally.emails, tally.delivered, tally.failed,
                    tally.pending, tally.attempts, recurring, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Drops {@code table}'s plain (non-unique, non-constraint) indexes; returns them. */
    private static List<StoreIndexes.Index> dropIndexes(Connection connection, String table) throws SQLException {
        // jd_email's bulk indexes are kept: JobKeysTrigger finds a new bulk job's first recipient through them (decision
        // 30), and they grow in the order of the bulk jobs' time-made ids, so they cost the fill little.
        List<StoreIndexes.Index> indexes = StoreIndexes.of(connection, table).stream().filter(index -> !index.unique())
                .filter(index -> !index.name().toUpperCase(java.util.Locale.ROOT).startsWith("JD_EMAIL_BULK")).toList();
        try (java.sql.Statement statement = connection.createStatement()) {
            for (StoreIndexes.Index index : indexes) {
                statement.execute(index.dropStatement());
            }
        }
        return indexes;
    }

    private static void createIndexes(Connection connection, List<StoreIndexes.Index> indexes) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            for (StoreIndexes.Index index : indexes) {
                statement.execute(index.createStatement());
            }
        }
        connection.commit();
    }

    /**
     * Which kind each job is, in a shuffled order, with each kind's share rounded and the rest Succeeded singles;
     * without the deferred bulk recipients' jobs, which each bulk job brings along.
     */
    private Kind[] plan(int jobs) {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        int deferred = (int) Math.round(jobs * mix.deferred());
        int bulk = (int) Math.round(jobs * mix.bulk());
        int deferredBulk = bulk == 0 || mix.bulkRecipients() < 2 ? 0
                : Math.min((int) Math.round(deferred * mix.deferredBulkRecipients()), bulk * (mix.bulkRecipients() - 1));
        counts.put(Kind.BOUNCED, (int) Math.round(jobs * mix.bounced()));
        counts.put(Kind.EXHAUSTED, (int) Math.round(jobs * mix.exhausted()));
        counts.put(Kind.DEFERRED, deferred - deferredBulk);
        counts.put(Kind.ENQUEUED, (int) Math.round(jobs * mix.enqueued()));
        counts.put(Kind.SCHEDULED, (int) Math.round(jobs * mix.scheduled()));
        counts.put(Kind.BULK_SUCCEEDED, bulk);
        int others = counts.values().stream().mapToInt(Integer::intValue).sum() + deferredBulk;
        if (others > jobs) {
            throw new IllegalArgumentException("the mix's shares round to more than " + jobs + " jobs");
        }
        counts.put(Kind.SUCCEEDED, jobs - others);
        // The deferred bulk recipients' jobs come with their bulk jobs, not from the plan.
        List<Kind> kinds = new ArrayList<>(jobs - deferredBulk);
        counts.forEach((kind, n) -> kinds.addAll(Collections.nCopies(n, kind)));
        // Fisher-Yates with the seeded generator (Collections.shuffle would need a java.util.Random).
        Kind[] plan = kinds.toArray(new Kind[0]);
        for (int i = plan.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Kind swap = plan[i];
            plan[i] = plan[j];
            plan[j] = swap;
        }
        return plan;
    }

    private static long count(Kind[] plan, Kind kind) {
        long n = 0;
        for (Kind each : plan) {
            n += each == kind ? 1 : 0;
        }
        return n;
    }

    /** Two hosts ran the history, both stopped since; their JobRunr ids are in the jobs' Processing states. */
    private void registerHosts(ConsoleServices services) throws SQLException {
        hostIds = new UUID[] {uuid(now.minus(HISTORY).minusSeconds(60)), uuid(now.minus(HISTORY).minusSeconds(30))};
        hostNames = new String[] {"console-1", "worker-1"};
        HostRecord.Kind[] kinds = {HostRecord.Kind.CONSOLE, HostRecord.Kind.WORKER};
        for (int i = 0; i < hostIds.length; i++) {
            services.parts().hosts().register(HostRecord.started(hostIds[i], hostNames[i], kinds[i], 1000 + i, 16,
                    now.minus(HISTORY).minusSeconds(60 - 30L * i)));
            services.parts().hosts().markStopped(hostIds[i], now.minusSeconds(30), "closed", 0);
        }
    }

    // ---- the kinds of job

    private Job succeeded(Instant queued, Rows emails, Rows attempts, Tally tally) throws SQLException {
        Email email = newEmail(queued, null);
        List<JobState> states = new ArrayList<>();
        String host = host();
        Instant started = run(states, host, queued);
        Instant end = started.plusMillis(15 + random.nextInt(400));
        states.add(new SucceededState(Duration.between(queued, started), Duration.between(started, end), end));
        attempt(attempts, email.id, 1, email.id, host, started, end, "SENT", 250, accepted(), null);
        emails.add(email.row(email.id, null));
        tally.emails++;
        tally.delivered++;
        tally.attempts++;
        return job(email.id, single(email.id), email.jobName(), states);
    }

    /**
     * A bulk job, all of whose recipients were accepted but the last {@code deferHere}: those were deferred and each
     * got a job of its own ({@code FollowUpJobs}), now a few retries in; their jobs are handed out later. A bulk job
     * with deferred recipients ran within the retry policy's span, or they would have run out of retries already.
     */
    private Job bulk(Instant queued, int deferHere, Rows emails, Rows attempts, List<Job> followUps, Tally tally)
            throws SQLException {
        int failures = 2 + random.nextInt(Math.max(1, Math.min(policy.maxRetries(), 8) - 1));
        if (deferHere > 0) {
            queued = now.minus(retryTime(failures)).minusSeconds(failures * 5L);
        }
        UUID bulkJobId = uuid(queued);
        UUID bulkBatch = uuid(queued);
        int recipients = Math.max(1, mix.bulkRecipients());
        List<JobState> states = new ArrayList<>();
        String host = host();
        Instant started = run(states, host, queued);
        UUID runId = uuid(started);
        Instant at = started;
        String firstTo = null;
        String subject = null;
        for (int r = 0; r < recipients; r++) {
            Email email = newEmail(queued, bulkBatch);
            firstTo = firstTo == null || email.to.compareTo(firstTo) < 0 ? email.to : firstTo;
            subject = subject == null ? email.subject : subject;
            Instant sendAt = at;
            at = at.plusMillis(1 + random.nextInt(5));
            if (r >= recipients - deferHere) {
                String reply = pick(DEFERRALS);
                attempt(attempts, email.id, 1, email.id, host, sendAt, at, "TRANSIENT_FAILURE", code(reply), reply, runId);
                // FollowUpJobs.retryLater: a new job (Enqueued), Failed with what the bulk job saw, its first retry.
                List<JobState> own = new ArrayList<>();
                own.add(new EnqueuedState(at));
                own.add(failedState(at, "Deferred in bulk job " + bulkJobId, reply, false));
                retries(own, attempts, email, at, 1, failures, " of this recipient", tally);
                followUps.add(job(email.id, single(email.id), email.jobName(), own));
                tally.pending++;
            } else {
                attempt(attempts, email.id, 1, email.id, host, sendAt, at, "SENT", 250, accepted(), runId);
                tally.delivered++;
            }
            emails.add(email.row(email.id, bulkJobId));
            tally.emails++;
            tally.attempts++;
        }
        Instant end = at.plusMillis(5);
        states.add(new SucceededState(Duration.between(queued, started), Duration.between(started, end), end));
        String name = "E-mails to " + firstTo + " and " + (recipients - 1) + " more: " + subject;
        return job(bulkJobId, new JobDetails(EmailJob.class.getName(), null, "sendBulk",
                List.of(new JobParameter(UUID.class, bulkJobId))), name, states);
    }

    private Job bounced(Instant queued, Rows emails, Rows attempts, Tally tally) throws SQLException {
        Email email = newEmail(queued, null);
        List<JobState> states = new ArrayList<>();
        String host = host();
        Instant started = run(states, host, queued);
        Instant end = started.plusMillis(15 + random.nextInt(400));
        String reply = pick(BOUNCES);
        states.add(failedState(end, "Rejected for good: " + reply, reply, true));
        attempt(attempts, email.id, 1, email.id, host, started, end, "PERMANENT_FAILURE", code(reply), reply, null);
        emails.add(email.row(email.id, null));
        tally.emails++;
        tally.failed++;
        tally.attempts++;
        return job(email.id, single(email.id), email.jobName(), states);
    }

    /** Deferred on every try until the policy gave up: the first try within the history, the last its span later. */
    private Job exhausted(Rows emails, Rows attempts, Tally tally) throws SQLException {
        Duration room = HISTORY.minus(policy.span()).minusMinutes(10);
        Instant queued = now.minus(HISTORY).plusMillis((long) (random.nextDouble() * Math.max(1, room.toMillis())));
        return deferredJob(queued, policy.maxRetries() + 1, emails, attempts, tally);
    }

    /** Deferred a few times, waiting for its next retry (due within the next seconds to hours). */
    private Job deferred(Rows emails, Rows attempts, Tally tally) throws SQLException {
        int failures = 4 + random.nextInt(Math.max(1, Math.min(policy.maxRetries(), 9) - 3));
        Instant queued = now.minus(retryTime(failures)).minusSeconds(failures * 5L);
        return deferredJob(queued, failures, emails, attempts, tally);
    }

    private Job deferredJob(Instant queued, int failures, Rows emails, Rows attempts, Tally tally) throws SQLException {
        Email email = newEmail(queued, null);
        List<JobState> states = new ArrayList<>();
        String host = host();
        Instant started = run(states, host, queued);
        Instant end = started.plusMillis(15 + random.nextInt(400));
        String reply = pick(DEFERRALS);
        states.add(failedState(end, PERFORM_FAILED, reply, false));
        attempt(attempts, email.id, 1, email.id, host, started, end, "TRANSIENT_FAILURE", code(reply), reply, null);
        tally.attempts++;
        retries(states, attempts, email, end, 1, failures, "", tally);
        emails.add(email.row(email.id, null));
        tally.emails++;
        if (failures > policy.maxRetries()) {
            tally.failed++;
        } else {
            tally.pending++;
        }
        return job(email.id, single(email.id), email.jobName(), states);
    }

    /**
     * Goes on from failure {@code done} (at {@code failedAt}, the last state) to failure {@code failures}, as
     * DeliveryRetryFilter schedules them: after failure n, retry n if the policy has one (the last one due in the
     * future), then Enqueued at its time, Processing, Failed again.
     */
    private void retries(List<JobState> states, Rows attempts, Email email, Instant failedAt, int done, int failures,
                         String whose, Tally tally) throws SQLException {
        for (int n = done; ; n++) {
            if (n > policy.maxRetries()) {
                return;
            }
            Duration wait = policy.delayBeforeRetry(n);
            Instant due = n == failures ? later(failedAt, wait) : failedAt.plus(wait);
            states.add(new ScheduledState(due, "Retry " + n + " of " + policy.maxRetries() + (n == 1 ? whose : "")
                    + ", after " + humanize(wait), failedAt));
            if (n == failures) {
                return;
            }
            String host = host();
            Instant started = run(states, host, due.plusMillis(random.nextInt(5_000)));
            Instant end = started.plusMillis(15 + random.nextInt(400));
            String reply = pick(DEFERRALS);
            states.add(failedState(end, PERFORM_FAILED, reply, false));
            attempt(attempts, email.id, n + 1, email.id, host, started, end, "TRANSIENT_FAILURE", code(reply), reply,
                    null);
            tally.attempts++;
            failedAt = end;
        }
    }

    /** From the first failure to retry {@code failures}: the waits before it, and part of its own wait. */
    private Duration retryTime(int failures) {
        Duration before = Duration.ZERO;
        for (int n = 1; n < failures; n++) {
            before = before.plus(policy.delayBeforeRetry(n));
        }
        return before.plusMillis((long) (random.nextDouble() * 0.9 * policy.delayBeforeRetry(failures).toMillis()));
    }

    /**
     * Queued within the last ten minutes, at about the {@code along}-th share of them: rows written in the order of
     * their times, as a send writes them (random times cost H2 a rewrite of a page per row and the file grew tenfold).
     */
    private Job enqueued(double along, Rows emails, Tally tally) throws SQLException {
        Instant queued = now.minusMillis((long) ((1 - along) * Duration.ofMinutes(10).toMillis()));
        Email email = newEmail(queued, null);
        emails.add(email.row(email.id, null));
        tally.emails++;
        tally.pending++;
        return job(email.id, single(email.id), email.jobName(), List.of(new EnqueuedState(queued)));
    }

    /** Queued within the last six hours (at about the {@code along}-th share of them) for later. */
    private Job scheduled(double along, Rows emails, Tally tally) throws SQLException {
        Instant queued = now.minusMillis((long) ((1 - along) * Duration.ofHours(6).toMillis()));
        Instant at = now.plusMillis(Duration.ofHours(1).toMillis() + random.nextLong(Duration.ofDays(7).toMillis()));
        Email email = newEmail(queued, null);
        emails.add(email.row(email.id, null));
        tally.emails++;
        tally.pending++;
        return job(email.id, single(email.id), email.jobName(), List.of(new ScheduledState(at, (String) null, queued)));
    }

    /** Recurring e-mails as Compose makes them: a template row each and JobRunr's recurring job. */
    private int recurring(StorageProvider storage, Rows emails) throws SQLException {
        for (int i = 0; i < mix.recurring(); i++) {
            Instant created = now.minus(HISTORY).plusSeconds(600L * i);
            Email template = newEmail(created, uuid(created));
            String recurringId = "email-" + template.id;
            emails.add(new Object[] {template.id, "RECURRING_TEMPLATE", null, recurringId, template.batch, FROM,
                    template.to, "", "", template.subject, template.body, utc(created), "", "TEXT", "", "", null});
            String cron = new String[] {"0 9 * * MON", "30 7 * * *", "0 18 1 * *"}[i % 3];
            RecurringJob job = new RecurringJob(recurringId, single(template.id), cron, "UTC", RecurringJob.CreatedBy.API,
                    created);
            job.setJobName(template.jobName() + " (" + cron + ")");
            storage.saveRecurringJob(job);
        }
        return mix.recurring();
    }

    // ---- pieces

    /** Enqueued at {@code enqueuedAt}, then Processing on {@code host} a moment later; returns when it started. */
    private Instant run(List<JobState> states, String host, Instant enqueuedAt) {
        states.add(new EnqueuedState(enqueuedAt));
        Instant started = enqueuedAt.plusMillis(20 + random.nextInt(3_000));
        states.add(new ProcessingState(hostId(host), host, started));
        return started;
    }

    private FailedState failedState(Instant at, String message, String reply, boolean bounce) {
        String type = bounce ? PermanentJobFailure.class.getName() : TransientDeliveryException.class.getName();
        String exceptionMessage = bounce ? message : "The server deferred the message: " + reply;
        String cause = bounce ? "dev.jobdeck.core.mail.PermanentDeliveryException" : null;
        String causeMessage = bounce ? "The server refused the message: " + reply : null;
        return new FailedState(message, type, exceptionMessage, cause, causeMessage, type + ": " + exceptionMessage + "\n"
                + STACK + (bounce ? "Caused by: " + cause + ": " + causeMessage + "\n" + STACK : ""), bounce, at);
    }

    /** Version 1: what JobRunr's first save of a new job leaves (its JobVersioner counts the insert). */
    private Job job(UUID id, JobDetails details, String name, List<JobState> states) {
        Job job = new Job(id, 1, details, states, new ConcurrentHashMap<>());
        job.setJobName(name);
        return job;
    }

    /**
     * A job's row as JobRunr's {@code JobTable} inserts it: its JSON from JobRunr's own mapper, its signature, state,
     * times (as its H2 dialect writes them: UTC, to the microsecond) and the scheduled time of its last schedulable
     * state. Written with plain batched inserts: JobRunr's own insert looks every parameter up by reflection, which
     * cost most of the time to write a million jobs.
     */
    private static Object[] jobRow(JobMapper mapper, Job job) {
        Instant scheduledAt = job.getLastJobStateOfType(SchedulableState.class).map(SchedulableState::getScheduledAt)
                .orElse(null);
        return new Object[] {job.getId().toString(), job.getVersion(), mapper.serializeJob(job),
                JobUtils.getJobSignature(job), job.getState().name(), jobRunrTime(job.getCreatedAt()),
                jobRunrTime(job.getUpdatedAt()), scheduledAt == null ? null : jobRunrTime(scheduledAt),
                job.getRecurringJobId().orElse(null)};
    }

    /** A TIMESTAMP (without time zone) holding UTC, as JobRunr's H2 dialect sets it. */
    private static java.time.LocalDateTime jobRunrTime(Instant instant) {
        return java.time.LocalDateTime.ofInstant(instant.plusNanos(500).truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                ZoneOffset.UTC);
    }

    private static JobDetails single(UUID emailId) {
        return new JobDetails(EmailJob.class.getName(), null, "send", List.of(new JobParameter(UUID.class, emailId)));
    }

    private void attempt(Rows attempts, UUID jobId, int attempt, UUID emailId, String host, Instant started,
                         Instant finished, String outcome, Integer code, String reply, UUID runId) throws SQLException {
        attempts.add(new Object[] {jobId.toString(), attempt, emailId, host, utc(started), utc(finished), outcome, code,
                reply, MessageIds.forJob(jobId), runId});
    }

    /** One recipient's e-mail, merged: the row holds what this person is sent. */
    private Email newEmail(Instant created, UUID bulkBatch) {
        UUID id = uuid(created);
        int person = random.nextInt(1_000_000);
        String to = "person" + person + "@" + DOMAINS[person % DOMAINS.length];
        int order = 100_000 + random.nextInt(900_000);
        String subject = String.format(SUBJECTS[random.nextInt(SUBJECTS.length)], order);
        String body = BODY.formatted("Person " + person, order, 1_000_000_000L + random.nextInt(1_000_000_000));
        UUID batch = bulkBatch != null ? bulkBatch : nextBatch(created);
        return new Email(id, batch, to, subject, body, created);
    }

    /** Singles come in batches of one to a few hundred, as sends do. */
    private UUID nextBatch(Instant created) {
        if (batchLeft <= 0) {
            batchId = uuid(created);
            batchLeft = 1 + random.nextInt(random.nextInt(4) == 0 ? 300 : 5);
        }
        batchLeft--;
        return batchId;
    }

    private record Email(UUID id, UUID batch, String to, String subject, String body, Instant created) {
        String jobName() {
            return "E-mail to " + to + ": " + (subject.length() > 80 ? subject.substring(0, 80) + "…" : subject);
        }

        Object[] row(UUID jobId, UUID bulkJobId) {
            return new Object[] {id, "ONE_OFF", jobId.toString(), null, batch, FROM, to, "", "", subject, body,
                    utc(created), "", "TEXT", "", "", bulkJobId == null ? null : bulkJobId.toString()};
        }
    }

    private static final class Tally {
        final Map<Kind, Long> jobsOfKind = new EnumMap<>(Kind.class);
        final Map<StateName, Long> jobsByState = new EnumMap<>(StateName.class);
        long emails;
        long delivered;
        long failed;
        long pending;
        long attempts;
    }

    private String host() {
        return hostNames[random.nextInt(hostNames.length)];
    }

    private UUID hostId(String host) {
        return hostIds[host.equals(hostNames[0]) ? 0 : 1];
    }

    private String pick(String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private String accepted() {
        return "250 2.0.0 Ok: queued as " + Long.toHexString(random.nextLong() >>> 24).toUpperCase();
    }

    /** A wait as DeliveryRetryFilter's reasons word it (RetryPolicy.humanize, which is not public). */
    private static String humanize(Duration wait) {
        long s = Math.round(wait.toMillis() / 1000.0);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }

    private static int code(String reply) {
        return Integer.parseInt(reply.substring(0, 3));
    }

    /** The later of {@code from + wait} and a minute from now: a retry still to come is due in the future. */
    private Instant later(Instant from, Duration wait) {
        Instant due = from.plus(wait);
        return due.isAfter(now) ? due : now.plusSeconds(60 + random.nextInt(3_600));
    }

    /**
     * A time-ordered id (version 7, as EmailQueue's), from the seeded generator. Every id written for one slot of the
     * plan carries the slot's time, not the time of the job's own history (a deferred job's is recent), so that ids
     * grow in the order rows are written: H2 then appends to its indexes instead of rewriting a page here and there
     * for each row, which made the file grow to ten times its data.
     */
    private UUID uuid(Instant at) {
        long millis = (idTime == null ? at : idTime).toEpochMilli();
        if (millis <= idMillis) {
            millis = idMillis;
            idSequence++;
        } else {
            idSequence = random.nextInt(1024);
        }
        if (idSequence > 0xFFF) {
            millis++;
            idSequence = 0;
        }
        idMillis = millis;
        long msb = (millis << 16) | 0x7000L | idSequence;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Rows of one table, written {@link #ROWS_PER_INSERT} to a statement on the generator's transaction. */
    private static final class Rows implements AutoCloseable {
        private final Connection connection;
        private final String table;
        private final String columns;
        private final int width;
        private final List<Object[]> pending = new ArrayList<>();
        private PreparedStatement full;

        Rows(Connection connection, String table, String columns) {
            this.connection = connection;
            this.table = table;
            this.columns = columns;
            this.width = columns.split(",").length;
        }

        void add(Object[] row) throws SQLException {
            pending.add(row);
            if (pending.size() == ROWS_PER_INSERT) {
                if (full == null) {
                    full = connection.prepareStatement(insert(ROWS_PER_INSERT));
                }
                write(full, pending);
                pending.clear();
            }
        }

        void flush() throws SQLException {
            if (!pending.isEmpty()) {
                try (PreparedStatement rest = connection.prepareStatement(insert(pending.size()))) {
                    write(rest, pending);
                }
                pending.clear();
            }
        }

        private String insert(int rows) {
            String row = "(" + String.join(", ", Collections.nCopies(width, "?")) + ")";
            return "INSERT INTO " + table + " (" + columns + ") VALUES " + String.join(", ", Collections.nCopies(rows, row));
        }

        private void write(PreparedStatement insert, List<Object[]> rows) throws SQLException {
            int index = 1;
            for (Object[] row : rows) {
                for (Object value : row) {
                    insert.setObject(index++, value);
                }
            }
            insert.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
            if (full != null) {
                full.close();
            }
        }
    }
}
