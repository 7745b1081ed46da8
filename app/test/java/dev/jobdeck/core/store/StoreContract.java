package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.Attachment;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.mail.SendLimits;
import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.store.DeliveryLedger.Begin;
import dev.jobdeck.core.store.DeliveryLedger.Entry;
import dev.jobdeck.core.store.DeliveryLedger.Finish;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What JobDeck's store classes promise, on every database a store can live in (issue 17): each test runs on H2
 * ({@link H2StoreContractTest}) and on PostgreSQL ({@link PostgresStoreContractTest}), against a store opened as JobDeck
 * opens it, its tables made by that database's migrations. One store per class: every test keeps to keys of its own.
 *
 * <p>The job engine's table is a stand-in here ({@code contract_job}, a column of job ids): the statements against
 * JobRunr's own tables have their contract in the job package.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {

    /** The class's own folder: the store's data directory and the tests' journals. */
    private Path temp;
    private Database store;
    private DataSource data;
    private final JobTable jobs = new ContractJobs();

    /** Opens a new, empty store; {@code directory} is its data directory (logs and journals only, for PostgreSQL). */
    protected abstract Database openStore(Path directory) throws Exception;

    /** The database the store must say it lives in. */
    protected abstract SqlDialect expectedDialect();

    @BeforeAll
    void openTheStore(@TempDir Path folder) throws Exception {
        temp = folder;
        store = openStore(temp.resolve("data"));
        data = store.dataSource();
        execute("CREATE TABLE contract_job (id CHAR(36) PRIMARY KEY)");
        execute("CREATE TABLE contract_write (id INT PRIMARY KEY, v VARCHAR(20))");
    }

    @AfterAll
    void closeTheStore() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    // The dialect

    @Test
    void theDialectReadFromAConnectionIsTheStoresOwn() throws Exception {
        assertThat(store.dialect()).isEqualTo(expectedDialect());
        try (Connection connection = data.getConnection()) {
            assertThat(SqlDialect.of(connection)).isEqualTo(expectedDialect());
        }
    }

    // Settings

    @Test
    void aSettingPutAgainIsReplacedAndOneMappedToNullIsRemoved() throws Exception {
        Settings settings = new Settings(data);
        String prefix = prefix();
        settings.put(prefix + "host", "a.example.org");
        settings.put(prefix + "host", "b.example.org");
        settings.put(prefix + "port", "25");
        assertThat(settings.get(prefix + "host")).contains("b.example.org");

        Map<String, String> change = new HashMap<>();
        change.put(prefix + "host", null);
        change.put(prefix + "port", "587");
        settings.putAll(change);
        assertThat(settings.readAll(prefix)).containsOnly(entry(prefix + "port", "587"));

        settings.replaceAll(prefix, Map.of(prefix + "user", "ann"));
        assertThat(settings.readAll(prefix)).containsOnly(entry(prefix + "user", "ann"));
        assertThat(settings.get(prefix + "port")).isEmpty();
    }

    @Test
    void twoThreadsUpsertingOneNewKeyAtOnceBothSucceed() throws Exception {
        Settings settings = new Settings(data);
        HostRegistry hosts = new HostRegistry(data, store.dialect());
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String name = prefix() + "race";
                UUID host = UUID.randomUUID();
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> done = new ArrayList<>();
                for (String writer : List.of("writer-a", "writer-b")) {
                    done.add(writers.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        settings.put(name, writer);
                        hosts.register(HostRecord.started(host, writer, HostRecord.Kind.WORKER, 1, 4, now()));
                        return null;
                    }));
                }
                for (Future<?> each : done) {
                    each.get(60, TimeUnit.SECONDS);
                }
                assertThat(settings.get(name)).get().isIn("writer-a", "writer-b");
                assertThat(hosts.find(host)).get().extracting(HostRecord::name).isIn("writer-a", "writer-b");
            }
        } finally {
            writers.shutdownNow();
        }
    }

    // Templates

    @Test
    void aTemplateSavedAgainUnderItsNameIsReplacedWholeAndListedByNameIgnoringCase() throws Exception {
        TemplateTable templates = new TemplateTable(data);
        String prefix = prefix();
        String name = prefix + "welcome";
        Instant saved = now();
        assertThat(templates.save(new SavedTemplate(name, "Hi", "Plain", BodyFormat.TEXT, "", saved))).isFalse();
        String longBody = "<p>" + "Hello {{name}}. ".repeat(10_000) + "</p>";
        SavedTemplate replacement = new SavedTemplate(name, "Hello {{name}}", longBody, BodyFormat.HTML, "Hello",
                saved.plusSeconds(5));
        assertThat(templates.save(replacement)).as("replaced").isTrue();
        assertThat(templates.find(name)).contains(replacement);

        templates.save(new SavedTemplate(prefix + "Beta", "b", "b", BodyFormat.TEXT, "", saved));
        templates.save(new SavedTemplate(prefix + "alpha", "a", "a", BodyFormat.TEXT, "", saved));
        assertThat(templates.all()).extracting(SavedTemplate::name).filteredOn(each -> each.startsWith(prefix))
                .containsExactly(prefix + "alpha", prefix + "Beta", name);

        assertThat(templates.delete(name)).isTrue();
        assertThat(templates.delete(name)).isFalse();
        assertThat(templates.find(name)).isEmpty();
    }

    // Hosts

    @Test
    void aHostRegisteredAgainIsReplacedAndItsEndIsRecordedOnce() throws Exception {
        HostRegistry hosts = new HostRegistry(data, store.dialect());
        String prefix = prefix() + "worker";
        UUID id = UUID.randomUUID();
        Instant started = now();
        hosts.register(HostRecord.started(id, prefix + "-1", HostRecord.Kind.WORKER, 4242, 4, started));
        HostRecord again = new HostRecord(id, prefix + "-1", HostRecord.Kind.WORKER, 4343L, 8, started, null, null, null);
        hosts.register(again);
        assertThat(hosts.find(id)).get().usingRecursiveComparison().ignoringFields("machine", "address").isEqualTo(again);
        assertThat(hosts.unstopped()).extracting(HostRecord::id).contains(id);

        hosts.requestDrain(id, 20);
        assertThat(hosts.drainSeconds(id)).hasValue(20);
        assertThat(hosts.drainSeconds(UUID.randomUUID())).isEmpty();

        assertThat(hosts.markStopped(id, started.plusSeconds(60), "killed", 137)).isTrue();
        assertThat(hosts.markStopped(id, started.plusSeconds(90), "timed out", null)).as("recorded once").isFalse();
        HostRecord stopped = new HostRecord(id, prefix + "-1", HostRecord.Kind.WORKER, 4343L, 8, started,
                started.plusSeconds(60), "killed", 137);
        assertThat(hosts.find(id)).get().usingRecursiveComparison().ignoringFields("machine", "address")
                .isEqualTo(stopped);
        assertThat(hosts.unstopped()).extracting(HostRecord::id).doesNotContain(id);

        UUID running = UUID.randomUUID();
        hosts.register(HostRecord.started(running, prefix + "-7", HostRecord.Kind.IN_MEMORY, 7, 2, started.minusSeconds(5)));
        assertThat(hosts.nextNumber(prefix)).isEqualTo(8);
        assertThat(hosts.recent(1000)).extracting(HostRecord::id).filteredOn(each -> each.equals(id) || each.equals(running))
                .as("running hosts first").containsExactly(running, id);
    }

    @Test
    void aHostRecordsItsMachineAndTheAddressItReachesTheStoreFrom() throws Exception {
        HostRegistry hosts = new HostRegistry(data, store.dialect());
        UUID id = UUID.randomUUID();
        hosts.register(HostRecord.started(id, prefix() + "worker-1", HostRecord.Kind.WORKER, 4242, 4, now()));

        HostRecord found = hosts.find(id).orElseThrow();
        assertThat(found.machine()).isEqualTo(hosts.machine()).isNotBlank().isNotEqualTo("unknown");
        // H2 is reached on this machine; the throw-away PostgreSQL over TCP on 127.0.0.1 sees that as the client.
        assertThat(found.address()).isEqualTo("127.0.0.1");
    }

    // Incidents

    @Test
    void anIncidentKeepsItsInFlightJobsAndWhatWasLearnedLater() throws Exception {
        IncidentLog incidents = new IncidentLog(data);
        HostRecord host = HostRecord.started(UUID.randomUUID(), "worker-9", HostRecord.Kind.WORKER, 99, 4, now());
        List<Incident.InFlightJob> inFlight = List.of(
                new Incident.InFlightJob(UUID.fromString("00000000-0000-0000-0000-00000000000a"), UUID.randomUUID()),
                new Incident.InFlightJob(UUID.fromString("00000000-0000-0000-0000-00000000000b"), null));
        Instant happened = now();
        UUID id = incidents.record(host, Incident.Action.CRASH, happened, inFlight, "kill -9 on purpose");
        incidents.detected(id, happened.plusMillis(1500), 2);
        incidents.replacedBy(id, "worker-10");

        assertThat(incidents.recent(1000)).filteredOn(incident -> incident.id().equals(id)).containsExactly(
                new Incident(id, host.id(), "worker-9", Incident.Action.CRASH, happened, happened.plusMillis(1500), 2,
                        "worker-10", "kill -9 on purpose", inFlight));
    }

    // The outbox

    @Test
    void anEmailIsReadBackAsItWasWrittenByItsIdAndByItsJob() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        OutboxEmail email = new OutboxEmail(UUID.randomUUID(), OutboxEmail.Kind.ONE_OFF, UUID.randomUUID(), null,
                null, "ops@jobdeck.test", "ann@example.org", "cc@example.org", "", "Grüße ✉", "x".repeat(100_000),
                now(), List.of(), BodyFormat.HTML, "plain", "welcome");
        outbox.insertAll(List.of(email));

        assertThat(outbox.find(email.id())).contains(email);
        assertThat(outbox.findByJobId(email.jobId())).contains(email);
        assertThat(outbox.find(UUID.randomUUID())).isEmpty();
        assertThat(outbox.insertIfJobAbsent(email)).isEqualTo(email);
    }

    @Test
    void attachmentsComeBackByteForByte() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        UUID batch = UUID.randomUUID();
        byte[] bytes = new byte[300_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + i / 256);
        }
        OutboxAttachment file = new OutboxAttachment(UUID.randomUUID(), batch, 0,
                new Attachment("report.pdf", "application/pdf", bytes));
        OutboxAttachment empty = new OutboxAttachment(UUID.randomUUID(), batch, 1,
                new Attachment("empty.txt", "text/plain", new byte[0]));
        OutboxEmail email = new OutboxEmail(UUID.randomUUID(), OutboxEmail.Kind.ONE_OFF, UUID.randomUUID(), null,
                batch, "ops@jobdeck.test", "ann@example.org", "", "", "Files", "See attached", now(),
                List.of(file.id(), empty.id()));
        outbox.insertAll(List.of(email), List.of(file, empty));

        UUID gone = UUID.randomUUID();
        assertThat(outbox.attachments(List.of(file.id(), empty.id(), gone))).containsOnly(
                entry(file.id(), file.attachment()), entry(empty.id(), empty.attachment()));
        assertThat(outbox.find(email.id())).get().extracting(OutboxEmail::attachmentIds)
                .isEqualTo(List.of(file.id(), empty.id()));
    }

    @Test
    void emailsHandedToAnInMemoryHostAreFoundByIt() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        UUID host = UUID.randomUUID();
        Instant created = now();
        OutboxEmail first = inMemory(created);
        OutboxEmail second = inMemory(created.plusSeconds(1));
        outbox.handOver(List.of(second, first), host);
        assertThat(outbox.handedTo(host)).containsExactly(first, second);
        assertThat(outbox.handedTo(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aBatchUnderAKeyIsQueuedOnceAndItsJobsAreListedInOrder() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        UUID batch = UUID.randomUUID();
        UUID bulk = UUID.randomUUID();
        String key = prefix() + "key";
        List<OutboxEmail> emails = List.of(oneOff(batch, "a@example.org"), oneOff(batch, "b@example.org"),
                oneOff(batch, "c@example.org"));
        Outbox.BatchKey batchKey = new Outbox.BatchKey(key, "f".repeat(64));

        assertThat(outbox.insertBatch(new Outbox.NewBatch(batch, null, batchKey), emails, List.of(),
                email -> email == emails.get(0) ? null : bulk)).isEmpty();
        Optional<Outbox.KeyedBatch> retried = outbox.insertBatch(new Outbox.NewBatch(UUID.randomUUID(), null, batchKey),
                List.of(oneOff(batch, "d@example.org")), List.of(), email -> null);

        assertThat(retried).contains(new Outbox.KeyedBatch(key, batch, "f".repeat(64), 3));
        assertThat(outbox.keyedBatch(key)).isEqualTo(retried);
        List<UUID> expected = new ArrayList<>();
        // In the databases' order of UUIDs: their bytes unsigned, as their text sorts (Java's compareTo is signed).
        emails.stream().sorted(java.util.Comparator.comparing(email -> email.id().toString()))
                .forEach(email -> expected.add(email == emails.get(0) ? email.jobId() : bulk));
        assertThat(outbox.jobsOfBatch(batch)).containsExactlyElementsOf(expected);
    }

    @Test
    void twoSendsUnderOneKeyAtOnceQueueOneBatchAndBothAreToldWhichOne() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String key = prefix() + "key";
                Outbox.BatchKey batchKey = new Outbox.BatchKey(key, "a".repeat(64));
                List<UUID> batches = List.of(UUID.randomUUID(), UUID.randomUUID());
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Optional<Outbox.KeyedBatch>>> sends = new ArrayList<>();
                for (UUID batch : batches) {
                    sends.add(senders.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        return outbox.insertBatch(new Outbox.NewBatch(batch, null, batchKey), List.of(
                                oneOff(batch, "a@example.org"), oneOff(batch, "b@example.org")), List.of(), email -> null);
                    }));
                }
                List<Optional<Outbox.KeyedBatch>> told = new ArrayList<>();
                for (Future<Optional<Outbox.KeyedBatch>> send : sends) {
                    told.add(send.get(60, TimeUnit.SECONDS));
                }

                UUID winner = outbox.keyedBatch(key).orElseThrow().batchId();
                UUID loser = batches.get(1 - batches.indexOf(winner));
                assertThat(told.get(batches.indexOf(winner))).as("queued").isEmpty();
                assertThat(told.get(batches.indexOf(loser))).as("told of the batch that has the key")
                        .contains(new Outbox.KeyedBatch(key, winner, "a".repeat(64), 2));
                assertThat(outbox.jobsOfBatch(winner)).hasSize(2);
                assertThat(outbox.jobsOfBatch(loser)).isEmpty();
            }
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void emailsAndBulkJobsWhoseJobWasNeverCreatedAreFoundUntilItExists() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        UUID batch = UUID.randomUUID();
        UUID bulk = UUID.randomUUID();
        OutboxEmail own = oneOff(batch, "own@example.org");
        OutboxEmail first = oneOff(batch, "b-first@example.org");
        OutboxEmail second = oneOff(batch, "b-second@example.org");
        outbox.insertBatch(new Outbox.NewBatch(batch, null, null), List.of(own, first, second), List.of(),
                email -> email == own ? null : bulk);

        assertThat(outbox.withoutJob()).contains(own).doesNotContain(first, second);
        assertThat(outbox.bulksWithoutJob()).contains(new Outbox.Bulk(bulk, "b-first@example.org", 2, "Hello"));
        execute("INSERT INTO contract_job (id) VALUES (?)", own.jobId().toString());
        execute("INSERT INTO contract_job (id) VALUES (?)", bulk.toString());
        assertThat(outbox.withoutJob()).doesNotContain(own);
        assertThat(outbox.bulksWithoutJob()).extracting(Outbox.Bulk::jobId).doesNotContain(bulk);

        // Rows from before jd_unqueued_batch were flagged one by one, and are found through the flag's index.
        UUID legacyBulk = UUID.randomUUID();
        OutboxEmail legacy = oneOff(null, "legacy@example.org");
        OutboxEmail legacyMember = oneOff(null, "legacy-bulk@example.org");
        outbox.insertBatch(new Outbox.NewBatch(UUID.randomUUID(), null, null), List.of(legacy, legacyMember), List.of(),
                email -> email == legacy ? null : legacyBulk);
        execute("UPDATE jd_email SET job_created = FALSE WHERE id IN (?, ?)", legacy.id(), legacyMember.id());
        assertThat(outbox.legacyWithoutJob()).contains(legacy);
        assertThat(outbox.legacyBulksWithoutJob()).contains(new Outbox.Bulk(legacyBulk, "legacy-bulk@example.org", 1,
                "Hello"));
        outbox.markLegacyJobsCreated();
        assertThat(outbox.legacyWithoutJob()).doesNotContain(legacy);
        assertThat(outbox.legacyBulksWithoutJob()).extracting(Outbox.Bulk::jobId).doesNotContain(legacyBulk);
    }

    @Test
    void aBulkJobsMembersComeWithWhatTheLedgerAndTheJobsKnowOfThem() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        DeliveryLedger ledger = new DeliveryLedger(data, store.groupCommit());
        UUID batch = UUID.randomUUID();
        UUID bulk = UUID.randomUUID();
        OutboxEmail sent = oneOff(batch, "a@example.org");
        OutboxEmail retried = oneOff(batch, "b@example.org");
        OutboxEmail fresh = oneOff(batch, "c@example.org");
        outbox.insertBatch(new Outbox.NewBatch(batch, null, null), List.of(fresh, retried, sent), List.of(), email -> bulk);
        UUID run = UUID.randomUUID();
        ledger.apply(List.of(new Begin(sent.jobId(), run, 1, sent.id(), "h", "<a>", now()),
                new Finish(sent.jobId(), run, 1, Outcome.SENT, 250, "250 OK", now())), false);
        ledger.begin(retried.jobId(), retried.id(), "h", "<b>", now());
        ledger.finish(retried.jobId(), 1, Outcome.TRANSIENT_FAILURE, 451, "451 later", now());
        ledger.begin(retried.jobId(), retried.id(), "h", "<b>", now());
        execute("INSERT INTO contract_job (id) VALUES (?)", retried.jobId().toString());

        assertThat(outbox.membersOf(bulk)).extracting(member -> member.email().id(), Outbox.BulkMember::sent,
                Outbox.BulkMember::attempts, Outbox.BulkMember::hasOwnJob).containsExactly(
                tuple(sent.id(), true, 1, false), tuple(retried.id(), false, 2, true), tuple(fresh.id(), false, 0, false));
    }

    @Test
    void aRecurringTemplateIsFoundAndDeletedByItsSchedule() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        String schedule = prefix() + "weekly";
        OutboxEmail template = new OutboxEmail(UUID.randomUUID(), OutboxEmail.Kind.RECURRING_TEMPLATE, null, schedule,
                null, "ops@jobdeck.test", "team@example.org", "", "", "Weekly", "Report", now());
        outbox.insertAll(List.of(template));
        assertThat(outbox.templateOf(schedule)).contains(template);
        assertThat(outbox.deleteTemplatesOf(schedule)).isEqualTo(1);
        assertThat(outbox.templateOf(schedule)).isEmpty();
    }

    // Unqueued batches

    @Test
    void aBatchClaimedOnOneConnectionIsSkippedByAnotherUntilLetGo() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        UnqueuedBatches notes = new UnqueuedBatches(data, jobs);
        UUID held = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID bulk = UUID.randomUUID();
        Instant due = now().plusSeconds(3600);
        OutboxEmail own = oneOff(held, "own@example.org");
        OutboxEmail member = oneOff(held, "member@example.org");
        outbox.insertBatch(new Outbox.NewBatch(held, due, null), List.of(own, member), List.of(),
                email -> email == member ? bulk : null);
        outbox.insertBatch(new Outbox.NewBatch(other, null, null), List.of(oneOff(other, "x@example.org")), List.of(),
                email -> null);
        assertThat(notes.waiting()).contains(held, other);

        try (UnqueuedBatches.Claim first = notes.claim(held).orElseThrow()) {
            assertThat(first.runAt()).contains(due);
            assertThat(first.emailsWithoutJob()).containsExactly(new UnqueuedBatches.Email(own.id(), own.jobId(),
                    "own@example.org", "Hello"));
            assertThat(first.bulksWithoutJob()).containsExactly(new Outbox.Bulk(bulk, "member@example.org", 1, "Hello"));
            assertThat(notes.claim(held)).as("held by the first claimant: skipped, not waited for").isEmpty();
            try (UnqueuedBatches.Claim second = notes.claim(other).orElseThrow()) {
                second.done();
            }
        }
        assertThat(notes.isWaiting(other)).isFalse();
        assertThat(notes.isWaiting(held)).as("let go unfinished: still waiting").isTrue();

        execute("INSERT INTO contract_job (id) VALUES (?)", own.jobId().toString());
        try (UnqueuedBatches.Claim again = notes.claim(held).orElseThrow()) {
            assertThat(again.emailsWithoutJob()).isEmpty();
            again.done();
        }
        assertThat(notes.waiting()).doesNotContain(held, other);
    }

    // The delivery ledger and the triggers on its tables

    @Test
    void attemptsAreNumberedInTurnAndKeepTheirEndAndReply() throws Exception {
        DeliveryLedger ledger = new DeliveryLedger(data, store.groupCommit());
        UUID job = UUID.randomUUID();
        UUID email = UUID.randomUUID();
        Instant t0 = now();
        assertThat(ledger.begin(job, email, "host-a", "<m@jobdeck>", t0)).isEqualTo(1);
        ledger.finish(job, 1, Outcome.TRANSIENT_FAILURE, 451, "451 4.3.0 try later", t0.plusSeconds(1));
        assertThat(ledger.emailAlreadySent(email)).isFalse();
        assertThat(ledger.begin(job, email, "host-b", "<m@jobdeck>", t0.plusSeconds(60))).isEqualTo(2);
        ledger.finish(job, 2, Outcome.SENT, 250, "2".repeat(3000), t0.plusSeconds(61));

        assertThat(ledger.attemptsOf(job)).containsExactly(
                new DeliveryAttempt(job, 1, email, "host-a", t0, t0.plusSeconds(1), Outcome.TRANSIENT_FAILURE, 451,
                        "451 4.3.0 try later", "<m@jobdeck>"),
                new DeliveryAttempt(job, 2, email, "host-b", t0.plusSeconds(60), t0.plusSeconds(61), Outcome.SENT, 250,
                        "2".repeat(2000), "<m@jobdeck>"));
        assertThat(ledger.emailAlreadySent(email)).isTrue();
        assertThat(ledger.emailAlreadySent(UUID.randomUUID())).isFalse();
    }

    @Test
    void anAttemptAtAnEmailOfABulkJobGetsTheBulkJobFromTheTrigger() throws Exception {
        Outbox outbox = new Outbox(data, jobs);
        DeliveryLedger ledger = new DeliveryLedger(data, store.groupCommit());
        UUID batch = UUID.randomUUID();
        UUID bulk = UUID.randomUUID();
        OutboxEmail member = oneOff(batch, "member@example.org");
        OutboxEmail journaled = oneOff(batch, "journaled@example.org");
        OutboxEmail alone = oneOff(batch, "alone@example.org");
        outbox.insertBatch(new Outbox.NewBatch(batch, null, null), List.of(member, journaled, alone), List.of(),
                email -> email == alone ? null : bulk);

        ledger.begin(member.jobId(), member.id(), "h", "<m>", now());
        ledger.begin(alone.jobId(), alone.id(), "h", "<a>", now());
        ledger.apply(List.of(new Begin(journaled.jobId(), UUID.randomUUID(), 1, journaled.id(), "h", "<j>", now())), true);

        assertThat(attemptBulkJob(member.jobId())).isEqualTo(bulk.toString());
        assertThat(attemptBulkJob(journaled.jobId())).isEqualTo(bulk.toString());
        assertThat(attemptBulkJob(alone.jobId())).isNull();
        assertThat(ledger.attemptsOfBulk(bulk)).extracting(DeliveryAttempt::jobId)
                .containsExactlyInAnyOrder(member.jobId(), journaled.jobId());
    }

    /**
     * The survival report's marks (decision 32) as H2's Java trigger {@code LedgerMarks} writes them: every subclass
     * must write exactly these, so PostgreSQL's PL/pgSQL functions write what H2's trigger writes.
     */
    @Test
    void everyWriteThatMovesTheReportMarksWhatItMovedAndNothingElse() throws Exception {
        UUID b1 = UUID.randomUUID();
        UUID b2 = UUID.randomUUID();
        UUID b3 = UUID.randomUUID();
        UUID e1 = UUID.randomUUID();
        UUID e2 = UUID.randomUUID();
        String job = UUID.randomUUID().toString();
        String noBatch = "batch " + LedgerMarks.NO_BATCH;
        long since = lastMark();

        String insertEmail = "INSERT INTO jd_email (id, kind, job_id, batch_id, from_addr, to_addr, subject, body,"
                + " created_at) VALUES (?, 'ONE_OFF', ?, ?, 'ops@jobdeck.test', 'ann@example.org', 's', 'b', ?)";
        execute(insertEmail, e1, UUID.randomUUID().toString(), b1, OffsetDateTime.now());
        execute(insertEmail, e2, UUID.randomUUID().toString(), null, OffsetDateTime.now());
        assertThat(marksSince(since)).containsExactly("batch " + b1, noBatch);

        since = lastMark();
        execute("UPDATE jd_email SET subject = 'another' WHERE id = ?", e1);
        assertThat(marksSince(since)).as("a column the report does not read").isEmpty();
        execute("UPDATE jd_email SET settled_at = ? WHERE id = ?", OffsetDateTime.now(), e1);
        assertThat(marksSince(since)).containsExactly("batch " + b1);
        since = lastMark();
        execute("UPDATE jd_email SET batch_id = ? WHERE id = ?", b2, e1);
        assertThat(marksSince(since)).as("the batch it left and the one it joined").containsExactly("batch " + b1,
                "batch " + b2);

        since = lastMark();
        execute("INSERT INTO jd_delivery_attempt (job_id, attempt, email_id, started_at, outcome, message_id)"
                + " VALUES (?, 1, ?, ?, 'STARTED', '<m>')", job, e1, OffsetDateTime.now());
        execute("UPDATE jd_delivery_attempt SET host = 'elsewhere' WHERE job_id = ?", job);
        assertThat(marksSince(since)).containsExactly("email " + e1);
        execute("UPDATE jd_delivery_attempt SET outcome = 'SENT' WHERE job_id = ?", job);
        execute("UPDATE jd_delivery_attempt SET email_id = ? WHERE job_id = ?", e2, job);
        execute("DELETE FROM jd_delivery_attempt WHERE job_id = ?", job);
        assertThat(marksSince(since)).containsExactly("email " + e1, "email " + e1, "email " + e1, "email " + e2,
                "email " + e2);

        since = lastMark();
        execute("INSERT INTO jd_unqueued_batch (batch_id) VALUES (?)", b3);
        execute("UPDATE jd_unqueued_batch SET run_at = ? WHERE batch_id = ?", OffsetDateTime.now(), b3);
        execute("DELETE FROM jd_unqueued_batch WHERE batch_id = ?", b3);
        execute("DELETE FROM jd_email WHERE id IN (?, ?)", e1, e2);
        assertThat(marksSince(since)).containsExactlyInAnyOrder("batch " + b3, "batch " + b3, "batch " + b2, noBatch);
    }

    // The ledger journal's fold (decision 16)

    @Test
    void aJournalFoldedTwiceWritesEachAttemptOnce() throws Exception {
        DeliveryLedger ledger = new DeliveryLedger(data, store.groupCommit());
        UUID bulk = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID run = UUID.randomUUID();
        Instant t0 = now();
        Begin begin = new Begin(first, run, 1, UUID.randomUUID(), "host-a", "<1>", t0);
        Finish end = new Finish(first, run, 1, Outcome.SENT, 250, "250 OK", t0.plusSeconds(1));
        try (LedgerJournal journal = new LedgerJournal(journalRoot(), ledger, Duration.ZERO)) {
            journal.record(bulk, null, begin);
            journal.record(bulk, end, new Begin(second, run, 1, UUID.randomUUID(), "host-a", "<2>", t0.plusSeconds(2)));
            journal.flush();
            journal.record(bulk, new Finish(second, run, 1, Outcome.TRANSIENT_FAILURE, 451, "451 later",
                    t0.plusSeconds(3)), null);
            journal.flush();
        }
        // A fold whose commit was not confirmed, or a dead process's journal folded by another: applied again.
        ledger.apply(List.of(begin, end), true);
        ledger.apply(List.of(begin), true);

        assertThat(ledger.attemptsOf(first)).extracting(DeliveryAttempt::attempt, DeliveryAttempt::outcome,
                DeliveryAttempt::smtpReply).containsExactly(tuple(1, Outcome.SENT, "250 OK"));
        assertThat(ledger.attemptsOf(second)).extracting(DeliveryAttempt::attempt, DeliveryAttempt::outcome)
                .containsExactly(tuple(1, Outcome.TRANSIENT_FAILURE));
    }

    @Test
    void anotherRunsAttemptUnderTheSameNumberIsKeptBesideItNotOverwritten() throws Exception {
        // Two runs of one bulk job delivered the same recipient: the second read the ledger before the first run's
        // journal reached it (a worker that lost the store while it sent), so both numbered their attempt 1.
        DeliveryLedger ledger = new DeliveryLedger(data, store.groupCommit());
        UUID job = UUID.randomUUID();
        UUID email = UUID.randomUUID();
        UUID earlier = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        Instant t0 = now();
        ledger.apply(List.of(new Begin(job, later, 1, email, "console-2", "<m>", t0.plusSeconds(30)),
                new Finish(job, later, 1, Outcome.SENT, 250, "250 later run", t0.plusSeconds(31))), false);
        try (LedgerJournal journal = new LedgerJournal(journalRoot(), ledger, Duration.ZERO)) {
            journal.record(UUID.randomUUID(), null, new Begin(job, earlier, 1, email, "w1", "<m>", t0));
            journal.flush();
            journal.record(UUID.randomUUID(), new Finish(job, earlier, 1, Outcome.SENT, 250, "250 earlier run",
                    t0.plusSeconds(1)), null);
            journal.flush();
        }
        assertThat(ledger.attemptsOf(job)).extracting(DeliveryAttempt::attempt, DeliveryAttempt::host,
                DeliveryAttempt::outcome, DeliveryAttempt::smtpReply).containsExactly(
                tuple(1, "console-2", Outcome.SENT, "250 later run"),
                tuple(2, "w1", Outcome.SENT, "250 earlier run"));
        assertThat(ledger.attemptsOf(job)).allSatisfy(attempt ->
                assertThat(attempt.finishedAt()).isAfter(attempt.startedAt()));
    }

    @Test
    void entriesJournaledBeforeRunsWereRecordedAreMatchedByTheirNumber() throws Exception {
        DeliveryLedger ledger = new DeliveryLedger(data, store.groupCommit());
        UUID job = UUID.randomUUID();
        Instant t0 = now();
        List<Entry> started = List.of(new Begin(job, null, 1, UUID.randomUUID(), "old-host", "<old>", t0));
        ledger.apply(started, true);
        ledger.apply(started, true);
        assertThat(ledger.attemptsOf(job)).extracting(DeliveryAttempt::outcome).containsExactly(Outcome.STARTED);

        ledger.apply(List.of(new Finish(job, null, 1, Outcome.SENT, 250, "250 OK", t0.plusSeconds(1))), true);
        ledger.apply(started, true);
        assertThat(ledger.attemptsOf(job)).extracting(DeliveryAttempt::outcome, DeliveryAttempt::smtpCode)
                .as("a start applied again never turns an ended attempt back").containsExactly(tuple(Outcome.SENT, 250));
    }

    // Group commit (decision 14)

    @Test
    void aFailingWriteInAGroupCommitThrowsItsOwnErrorIsUndoneAndTheOthersCommit() throws Exception {
        GroupCommit writes = new GroupCommit(data);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            insertWrite(99, "taken");
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch inCommit = new CountDownLatch(1);
            Future<Integer> first = threads.submit(() -> writes.run(connection -> {
                inCommit.countDown();
                awaitUninterruptibly(release);
                return insertWrite(connection, 1, "good");
            }));
            inCommit.await();
            // Inserts row 2, then fails on the taken id: its row 2 must go, the others' rows must stay.
            Future<Integer> bad = threads.submit(() -> writes.run(connection -> insertWrite(connection, 2, "bad")
                    + insertWrite(connection, 99, "bad")));
            await().atMost(Duration.ofSeconds(20)).until(() -> writes.waiting() == 1);
            Future<Integer> good = threads.submit(() -> writes.run(connection -> insertWrite(connection, 3, "good")));
            await().atMost(Duration.ofSeconds(20)).until(() -> writes.waiting() == 2);
            release.countDown();

            assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(good.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThatThrownBy(() -> bad.get(20, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).as("a unique key violated").isEqualTo("23505"));
            assertThat(writeValues()).containsExactly("good", "good", "taken");
            assertThat(writes.counts()).containsExactly(2, 3);
        } finally {
            threads.shutdownNow();
        }
    }

    // Send limits shared by every host (decision 10)

    @Test
    void connectionSlotsAreSharedByHostsAndALeaseThatRanOutIsTakenOver() throws Exception {
        String server = prefix() + "smtp.example.org:25";
        try (SendLimitTables one = new SendLimitTables(data, () -> 2, () -> 0);
             SendLimitTables other = new SendLimitTables(data, () -> 2, () -> 0)) {
            SendLimits.Slot first = one.tryAcquireConnection(server).orElseThrow();
            SendLimits.Slot second = other.tryAcquireConnection(server).orElseThrow();
            assertThat(other.tryAcquireConnection(server)).as("both slots held").isEmpty();
            second.close();
            SendLimits.Slot third = one.tryAcquireConnection(server).orElseThrow();
            assertThat(leaseLeft(server, 1)).isBetween(Duration.ofSeconds(20), SendLimitTables.SLOT_LEASE);

            // The holder of slot 0 died: its lease was last renewed long ago and ran out a second ago.
            execute("UPDATE jd_smtp_slot SET holder = 'dead-host:1', expires_at = ? WHERE server = ? AND slot_no = 0",
                    databaseNow().minusSeconds(1), server);
            SendLimits.Slot takenOver = other.tryAcquireConnection(server).orElseThrow();
            assertThat(leaseLeft(server, 0)).isBetween(Duration.ofSeconds(20), SendLimitTables.SLOT_LEASE);
            assertThat(one.tryAcquireConnection(server)).isEmpty();

            execute("UPDATE jd_smtp_slot SET expires_at = ? WHERE server = ?", databaseNow().plusSeconds(1), server);
            one.renew();
            assertThat(leaseLeft(server, 1)).as("renewed by its holder").isGreaterThan(Duration.ofSeconds(20));
            assertThat(leaseLeft(server, 0)).as("another host's").isLessThanOrEqualTo(Duration.ofSeconds(1));
            first.close();
            third.close();
            takenOver.close();
        }
    }

    @Test
    void hostsRacingForSlotsNeverHoldMoreThanTheLimitAndNoneOfThemFails() throws Exception {
        String server = prefix() + "smtp.example.org:25";
        List<SendLimitTables> hosts = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            CyclicBarrier together = new CyclicBarrier(4);
            for (int host = 0; host < 4; host++) {
                SendLimitTables limits = new SendLimitTables(data, () -> 2, () -> 0);
                hosts.add(limits);
                done.add(threads.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < 30; i++) {
                        Optional<SendLimits.Slot> slot = limits.tryAcquireConnection(server);
                        if (slot.isPresent()) {
                            most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                            taken.incrementAndGet();
                            holding.decrementAndGet();
                            slot.get().close();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            hosts.forEach(SendLimitTables::close);
        }
        assertThat(taken.get()).isPositive();
        assertThat(most.get()).isBetween(1, 2);
    }

    @Test
    void theTokenBucketRefillsFromTheDatabasesClockToTheMicrosecondUpToItsCapacity() throws Exception {
        String server = prefix() + "smtp.example.org:25";
        try (SendLimitTables limits = new SendLimitTables(data, () -> 0, () -> 4)) {
            assertThat(limits.takeTokens(server, 4, 1000, 1000)).as("a new bucket is full").isEqualTo(1000);
            assertThat(limits.takeTokens(server, 4, 1000, 1000)).as("4 a second come back").isZero();

            // As if the last take were 2.5 s ago: 10 tokens came back, which whole seconds would not give (8).
            execute("UPDATE jd_send_rate SET tokens = 0, updated_at = ? WHERE server = ?",
                    databaseNow().minus(Duration.ofMillis(2500)), server);
            assertThat(limits.takeTokens(server, 4, 1000, 10)).isEqualTo(10);

            execute("UPDATE jd_send_rate SET tokens = 0, updated_at = ? WHERE server = ?",
                    databaseNow().minusSeconds(3600), server);
            assertThat(limits.takeTokens(server, 4, 20, 20)).as("no more than the capacity").isEqualTo(20);
            assertThat(limits.takeTokens(server, 4, 20, 20)).isZero();
        }
    }

    // The wake signal (decision 20)

    @Test
    void raisingTheWakeSignalMovesItsGenerationForEveryReader() throws Exception {
        WakeSignal signal = new WakeSignal(data);
        WakeSignal elsewhere = new WakeSignal(data);
        long before = elsewhere.generation();
        signal.raise();
        signal.raise();
        assertThat(elsewhere.generation()).isEqualTo(before + 2);
    }

    // Helpers

    /** A prefix no other test uses, for the keys of a table every test shares. */
    private static String prefix() {
        return "c" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static OutboxEmail oneOff(UUID batch, String to) {
        return new OutboxEmail(UUID.randomUUID(), OutboxEmail.Kind.ONE_OFF, UUID.randomUUID(), null, batch,
                "ops@jobdeck.test", to, "", "", "Hello", "Body", now());
    }

    private static OutboxEmail inMemory(Instant created) {
        return new OutboxEmail(UUID.randomUUID(), OutboxEmail.Kind.IN_MEMORY, UUID.randomUUID(), null, null,
                "ops@jobdeck.test", "ann@example.org", "", "", "Hello", "Body", created);
    }

    private Path journalRoot() throws Exception {
        return Files.createDirectories(temp.resolve("journals-" + UUID.randomUUID())).resolve("journal");
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = data.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }

    private OffsetDateTime databaseNow() throws SQLException {
        try (Connection connection = data.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT CURRENT_TIMESTAMP");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getObject(1, OffsetDateTime.class);
        }
    }

    /** How long the lease on a slot has still to run, by the database's clock. */
    private Duration leaseLeft(String server, int slot) throws SQLException {
        try (Connection connection = data.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT expires_at, CURRENT_TIMESTAMP FROM jd_smtp_slot"
                     + " WHERE server = ? AND slot_no = ?")) {
            query.setString(1, server);
            query.setInt(2, slot);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("slot " + slot + " of " + server).isTrue();
                return Duration.between(rows.getObject(2, OffsetDateTime.class), rows.getObject(1, OffsetDateTime.class));
            }
        }
    }

    private String attemptBulkJob(UUID job) throws SQLException {
        try (Connection connection = data.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT bulk_job_id FROM jd_delivery_attempt WHERE job_id = ?")) {
            query.setString(1, job.toString());
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("an attempt of " + job).isTrue();
                String bulk = rows.getString(1);
                return bulk == null ? null : bulk.trim();
            }
        }
    }

    private long lastMark() throws SQLException {
        try (Connection connection = data.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM jd_ledger_mark");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The marks written after mark {@code since}, in order, each as what it names ("batch …", "email …", "job …"). */
    private List<String> marksSince(long since) throws SQLException {
        List<String> marks = new ArrayList<>();
        try (Connection connection = data.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT batch_id, email_id, job_id FROM jd_ledger_mark"
                     + " WHERE id > ? ORDER BY id")) {
            query.setLong(1, since);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    UUID batch = rows.getObject(1, UUID.class);
                    UUID email = rows.getObject(2, UUID.class);
                    String job = rows.getString(3);
                    marks.add(batch != null ? "batch " + batch : email != null ? "email " + email
                            : job != null ? "job " + job.trim() : "everything");
                }
            }
        }
        return marks;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int insertWrite(int id, String value) throws SQLException {
        try (Connection connection = data.getConnection()) {
            return insertWrite(connection, id, value);
        }
    }

    private static int insertWrite(Connection connection, int id, String value) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO contract_write (id, v) VALUES (?, ?)")) {
            insert.setInt(1, id);
            insert.setString(2, value);
            return insert.executeUpdate();
        }
    }

    private List<String> writeValues() throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = data.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT v FROM contract_write ORDER BY id");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** The job engine's table as the store's recovery queries see it: here a column of job ids the tests fill. */
    private static final class ContractJobs implements JobTable {

        @Override
        public String noJobWithId(String idExpression) {
            return "NOT EXISTS (SELECT 1 FROM contract_job j WHERE j.id = " + idExpression + ")";
        }

        @Override
        public String leftJoinJob(String alias, String idExpression) {
            return "LEFT JOIN contract_job " + alias + " ON " + alias + ".id = " + idExpression;
        }

        @Override
        public String waitingRunsOf() {
            return "SELECT id FROM contract_job WHERE id = ?";
        }
    }
}
