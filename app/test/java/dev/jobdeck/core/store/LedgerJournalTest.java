package dev.jobdeck.core.store;

import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.store.DeliveryLedger.Begin;
import dev.jobdeck.core.store.DeliveryLedger.Entry;
import dev.jobdeck.core.store.DeliveryLedger.Finish;
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

/** The bulk jobs' ledger journal (decision 16) on a real H2 file store, with a real child JVM killed mid-bulk. */
class LedgerJournalTest {

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
            journal.record(bulk, new Finish(first, 1, Outcome.SENT, 250, "250 OK", now()), begin(second));
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
            journal.record(bulk, new Finish(second, 1, Outcome.TRANSIENT_FAILURE, 451, "451 4.3.0 later", now()), null);
            journal.flush();
            assertThat(ledger.attemptsOf(second)).extracting(DeliveryAttempt::outcome)
                    .containsExactly(Outcome.TRANSIENT_FAILURE);
        }
        assertThat(journals).isEmptyDirectory();
    }

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
        file.write(LedgerJournal.encode(null, begin(job)));
        file.write(LedgerJournal.encode(new Finish(job, 1, Outcome.SENT, 250, "250 OK", now()), null));
        byte[] torn = LedgerJournal.encode(null, begin(UUID.randomUUID()));
        file.write(torn, 0, torn.length - 5);
        Path segment = Files.write(temp.resolve("torn.seg"), file.toByteArray());

        assertThat(LedgerJournal.read(segment)).hasSize(2).element(1).isInstanceOf(Finish.class);

        byte[] damaged = file.toByteArray();
        damaged[10] ^= 0x7f; // inside the first entry: its checksum no longer matches
        assertThat(LedgerJournal.read(Files.write(temp.resolve("damaged.seg"), damaged))).isEmpty();
    }

    @Test
    void foldingTheSameEntriesAgainChangesNothing() throws Exception {
        UUID job = UUID.randomUUID();
        Begin start = begin(job);
        Finish end = new Finish(job, 1, Outcome.SENT, 250, "250 OK", now());
        List<Entry> both = List.of(start, end);

        ledger.apply(both, true);
        ledger.apply(both, true);
        ledger.apply(List.of(start), true);

        assertThat(ledger.attemptsOf(job)).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.SENT);
            assertThat(attempt.smtpReply()).isEqualTo("250 OK");
        });
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.walk(journals)) {
            return files.filter(file -> file.toString().endsWith(".seg")).toList();
        }
    }

    private static Begin begin(UUID job) {
        return new Begin(job, 1, UUID.randomUUID(), "host-a", "<" + job + "@jobdeck>", now());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
