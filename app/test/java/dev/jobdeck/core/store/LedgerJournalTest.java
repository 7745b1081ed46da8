package dev.jobdeck.core.store;

import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.store.DeliveryLedger.Begin;
import dev.jobdeck.core.store.DeliveryLedger.Entry;
import dev.jobdeck.core.store.DeliveryLedger.Finish;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.JournalWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bulk jobs' ledger journal (decision 16) on a real H2 file store, with a real child JVM killed mid-bulk. How a fold
 * applies entries again (once, beside another run's attempt) is in {@link StoreContract}, on H2 and PostgreSQL.
 */
class LedgerJournalTest {

    private static final UUID RUN = UUID.randomUUID();

    @TempDir
    Path temp;

    private Database store;
    private DeliveryLedger ledger;
    private Path journals;

    @BeforeEach
    void open() throws Exception {
        DataDirectory directory = new DataDirectory(temp.resolve("data"));
        store = Database.open(directory, 4);
        ledger = new DeliveryLedger(store.dataSource(), store.groupCommit());
        journals = directory.journalDirectory();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void entriesReachTheLedgerWhenFoldedAndTheirSegmentGoes() throws Exception {
        UUID bulk = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        try (LedgerJournal journal = new LedgerJournal(journals, ledger, Duration.ZERO)) {
            journal.record(bulk, null, begin(first));
            journal.record(bulk, new Finish(first, RUN, 1, Outcome.SENT, 250, "250 OK", now()), begin(second));
            assertThat(journal.holds(bulk)).isTrue();
            assertThat(ledger.attemptsOf(first)).as("journaled, not yet folded").isEmpty();
            assertThat(segments()).hasSize(1);

            journal.flush();

            assertThat(journal.holds(bulk)).isFalse();
            assertThat(ledger.attemptsOf(first)).singleElement().satisfies(attempt -> {
                assertThat(attempt.outcome()).isEqualTo(Outcome.SENT);
                assertThat(attempt.smtpCode()).isEqualTo(250);
                assertThat(attempt.finishedAt()).isNotNull();
            });
            assertThat(ledger.attemptsOf(second)).extracting(DeliveryAttempt::outcome).containsExactly(Outcome.STARTED);
            assertThat(segments()).isEmpty();

            // The start folded earlier gets its end in a later fold.
            journal.record(bulk, new Finish(second, RUN, 1, Outcome.TRANSIENT_FAILURE, 451, "451 4.3.0 later", now()), null);
            journal.flush();
            assertThat(ledger.attemptsOf(second)).extracting(DeliveryAttempt::outcome)
                    .containsExactly(Outcome.TRANSIENT_FAILURE);
        }
        assertThat(journals).isEmptyDirectory();
    }

    @ChildProcesses
    @Test
    void aJournalLeftByAKilledProcessIsFoldedByAnotherOnceAndNotWhileItLives() throws Exception {
        UUID bulk = UUID.randomUUID();
        List<UUID> jobs = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<String> arguments = new ArrayList<>(List.of("--last-in-doubt", journals.toString(), bulk.toString()));
        jobs.forEach(job -> arguments.add(job + "," + UUID.randomUUID()));
        Process writer = JournalWriter.start(temp.resolve("writer.log"), arguments);
        try (LedgerJournal survivor = new LedgerJournal(journals, ledger, Duration.ZERO)) {
            assertThat(survivor.foldOrphans()).as("the writer is alive and holds its journal").isZero();
            assertThat(ledger.attemptsOf(jobs.get(0))).isEmpty();

            writer.destroyForcibly().waitFor();

            // Two recipients accepted (start and end), the third started and in doubt: five entries.
            assertThat(survivor.foldOrphans()).isEqualTo(5);
            assertThat(ledger.attemptsOf(jobs.get(0))).extracting(DeliveryAttempt::outcome).containsExactly(Outcome.SENT);
            assertThat(ledger.attemptsOf(jobs.get(1))).extracting(DeliveryAttempt::outcome).containsExactly(Outcome.SENT);
            assertThat(ledger.attemptsOf(jobs.get(2))).extracting(DeliveryAttempt::outcome).containsExactly(Outcome.STARTED);
            assertThat(ledger.emailAlreadySent(ledger.attemptsOf(jobs.get(0)).get(0).emailId())).isTrue();
            assertThat(survivor.foldOrphans()).as("folded once, then removed").isZero();
            assertThat(journals).isEmptyDirectory();
        } finally {
            writer.destroyForcibly();
        }
    }

    @Test
    void anEmptyJournalOfAGoneProcessIsRemovedOnlyOnceItIsAMinuteOld() throws Exception {
        Path fresh = Files.createDirectories(journals.resolve(UUID.randomUUID().toString()));
        Files.createFile(fresh.resolve("owner.lock"));
        Path old = Files.createDirectories(journals.resolve(UUID.randomUUID().toString()));
        Files.createFile(old.resolve("owner.lock"));
        Files.setLastModifiedTime(old.resolve("owner.lock"),
                java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));

        try (LedgerJournal survivor = new LedgerJournal(journals, ledger, Duration.ZERO)) {
            assertThat(survivor.foldOrphans()).isZero();
        }

        assertThat(old).doesNotExist();
        assertThat(fresh).as("its process may be about to lock it").isDirectory();
    }

    @Test
    void aTornLastEntryIsIgnoredAndTheOnesBeforeItAreRead() throws Exception {
        UUID job = UUID.randomUUID();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(JournalSegments.encode(null, begin(job)));
        file.write(JournalSegments.encode(new Finish(job, RUN, 1, Outcome.SENT, 250, "250 OK", now()), null));
        byte[] torn = JournalSegments.encode(null, begin(UUID.randomUUID()));
        file.write(torn, 0, torn.length - 5);
        Path segment = Files.write(temp.resolve("torn.seg"), file.toByteArray());

        assertThat(JournalSegments.read(segment)).hasSize(2).element(1).isInstanceOf(Finish.class);

        byte[] damaged = file.toByteArray();
        damaged[10] ^= 0x7f; // inside the first entry: its checksum no longer matches
        assertThat(JournalSegments.read(Files.write(temp.resolve("damaged.seg"), damaged))).isEmpty();
    }

    @ChildProcesses
    @Test
    void catchingUpAppliesWhatALiveProcessJournaledAndLeavesItsJournalToIt() throws Exception {
        UUID bulk = UUID.randomUUID();
        List<UUID> jobs = List.of(UUID.randomUUID(), UUID.randomUUID());
        List<String> arguments = new ArrayList<>(List.of(journals.toString(), bulk.toString()));
        jobs.forEach(job -> arguments.add(job + "," + UUID.randomUUID()));
        Process writer = JournalWriter.start(temp.resolve("writer.log"), arguments);
        try (LedgerJournal rerun = new LedgerJournal(journals, ledger, Duration.ZERO)) {
            assertThat(rerun.catchUp()).as("two starts and two ends, read from a live journal").isEqualTo(4);
            assertThat(jobs).allSatisfy(job -> assertThat(ledger.attemptsOf(job)).extracting(DeliveryAttempt::outcome)
                    .containsExactly(Outcome.SENT));
            assertThat(segments()).as("still the live process's to fold").hasSize(1);

            writer.destroyForcibly().waitFor();
            assertThat(rerun.foldOrphans()).isEqualTo(4);
            assertThat(jobs).allSatisfy(job -> assertThat(ledger.attemptsOf(job)).hasSize(1));
        } finally {
            writer.destroyForcibly();
        }
    }

    @Test
    void aJournalWrittenBeforeRunsWereRecordedIsStillRead() throws Exception {
        UUID job = UUID.randomUUID();
        UUID email = UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(body);
        out.writeByte(1); // a start, as journaled before decision 23
        out.writeLong(job.getMostSignificantBits());
        out.writeLong(job.getLeastSignificantBits());
        out.writeInt(1);
        out.writeLong(email.getMostSignificantBits());
        out.writeLong(email.getLeastSignificantBits());
        out.writeBoolean(true);
        out.writeUTF("old-host");
        out.writeUTF("<old@jobdeck>");
        out.writeLong(now().getEpochSecond());
        out.writeInt(0);
        byte[] bytes = body.toByteArray();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        java.nio.ByteBuffer framed = java.nio.ByteBuffer.allocate(4 + bytes.length + 8);
        framed.putInt(bytes.length).put(bytes).putLong(crc.getValue());
        Path segment = Files.write(temp.resolve("old.seg"), framed.array());

        List<Entry> entries = JournalSegments.read(segment);
        assertThat(entries).singleElement().isInstanceOfSatisfying(Begin.class, begin -> {
            assertThat(begin.runId()).isNull();
            assertThat(begin.host()).isEqualTo("old-host");
        });
        ledger.apply(entries, true);
        ledger.apply(entries, true);
        assertThat(ledger.attemptsOf(job)).singleElement().extracting(DeliveryAttempt::outcome).isEqualTo(Outcome.STARTED);
    }

    @Test
    void bulkJobsAreToldWhenTheStoreStopsTakingTheJournalAndWhenItTakesItAgain() throws Exception {
        DataDirectory directory = new DataDirectory(temp.resolve("data"));
        StoreServer server = StoreServer.start(directory);
        Database client = Database.connect(directory, 2);
        try (LedgerJournal journal = new LedgerJournal(journals, new DeliveryLedger(client.dataSource(),
                client.groupCommit()), Duration.ZERO)) {
            UUID bulk = UUID.randomUUID();
            journal.record(bulk, null, begin(UUID.randomUUID()));
            journal.flush();
            long epoch = journal.contactEpoch();
            assertThat(journal.storeAnswering()).isTrue();

            server.close();
            journal.record(bulk, null, begin(UUID.randomUUID()));
            assertThatThrownBy(journal::flush).isInstanceOf(java.sql.SQLException.class);
            assertThat(journal.storeAnswering()).as("its last fold failed").isFalse();
            assertThat(journal.contactEpoch()).isEqualTo(epoch);

            server = StoreServer.start(directory);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                journal.flush();
                return true;
            });
            assertThat(journal.storeAnswering()).isTrue();
            assertThat(journal.contactEpoch()).as("answering again").isEqualTo(epoch + 1);
        } finally {
            client.close();
            server.close();
        }
    }

    /**
     * Another thread of the process (the queue's watcher, the health check) often meets the dead connection first, and
     * the journal's next fold then waits seconds for a new one: bulk jobs must stop at once all the same (a CI run of
     * ConsoleCrashTest saw a worker send 49 messages in that wait).
     */
    @Test
    void aConnectionAnotherThreadFoundGoneStopsBulkJobsBeforeTheNextFold() throws Exception {
        DataDirectory directory = new DataDirectory(temp.resolve("data"));
        StoreServer server = StoreServer.start(directory);
        Database client = Database.connect(directory, 2);
        try (LedgerJournal journal = new LedgerJournal(journals, new DeliveryLedger(client.dataSource(),
                client.groupCommit()), Duration.ZERO, client.failures()::lastFailureNanos)) {
            try (java.sql.Connection warm = client.dataSource().getConnection()) {
                warm.createStatement().execute("SELECT 1");
            }
            long epoch = journal.contactEpoch();
            assertThat(journal.storeAnswering()).isTrue();

            server.close();
            assertThatThrownBy(() -> {
                try (java.sql.Connection other = client.dataSource().getConnection()) {
                    other.createStatement().execute("SELECT 1");
                }
            }).isInstanceOf(java.sql.SQLException.class);

            assertThat(journal.storeAnswering()).as("no fold has failed yet").isFalse();

            server = StoreServer.start(directory);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                journal.flush(); // nothing to fold: it asks the store instead
                return journal.storeAnswering();
            });
            assertThat(journal.contactEpoch()).isEqualTo(epoch + 1);
        } finally {
            client.close();
            server.close();
        }
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.walk(journals)) {
            return files.filter(file -> file.toString().endsWith(".seg")).toList();
        }
    }

    private static Begin begin(UUID job) {
        return new Begin(job, RUN, 1, UUID.randomUUID(), "host-a", "<" + job + "@jobdeck>", now());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
