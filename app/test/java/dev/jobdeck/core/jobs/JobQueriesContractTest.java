package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.BulkActions.Action;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.JobSearch;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.mail.ReplyStatus;
import dev.jobdeck.testsupport.Slow;
import dev.jobdeck.testsupport.StoreKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jobs screen's queries on both stores (issue 17): the same behaviours on H2 and on PostgreSQL, from the same
 * rows written straight into the tables ({@link JobRowsFixture}). H2's plans are checked by DashboardQueriesTest and
 * ShownColumnSortTest; this checks the answers.
 */
class JobQueriesContractTest {

    private static final List<JobSort> SHOWN = List.of(JobSort.RECIPIENT, JobSort.SUBJECT, JobSort.TRIES, JobSort.HOST,
            JobSort.CODE, JobSort.REPLY);

    @TempDir
    Path temp;

    private ConsoleServices store;
    private JobRowsFixture fixture;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private void open(StoreKind kind) throws Exception {
        store = kind.open(temp, ConsoleServices.Options.storeOnly());
        fixture = new JobRowsFixture(store.parts().database().dataSource());
    }

    static Stream<Arguments> everyOrderOnEachStore() {
        List<JobSort> orders = new ArrayList<>(SHOWN);
        orders.add(JobSort.UPDATED);
        orders.add(JobSort.STATE);
        return Stream.of(StoreKind.values()).flatMap(kind -> orders.stream()
                .flatMap(sort -> Stream.of(Arguments.of(kind, sort, false), Arguments.of(kind, sort, true))));
    }

    @ParameterizedTest(name = "{0} {1} descending={2}")
    @MethodSource("everyOrderOnEachStore")
    void everyPageForwardsAndBackwardsFollowsTheOrderAlsoWithinAState(StoreKind kind, JobSort sort, boolean descending)
            throws Exception {
        open(kind);
        varied(90);
        JobFilter failed = JobFilter.inState(JobState.FAILED);

        List<UUID> expected = expected(everyRow(JobFilter.ALL), sort, descending);
        assertThat(forwards(JobFilter.ALL, PageRequest.first(sort, descending, 7))).containsExactlyElementsOf(expected);
        assertThat(backwards(JobFilter.ALL, PageRequest.first(sort, descending, 7))).containsExactlyElementsOf(expected);
        assertThat(forwards(failed, PageRequest.first(sort, descending, 4)))
                .containsExactlyElementsOf(expected(everyRow(failed), sort, descending)).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStateFilterFindsTheJobsInThatStateAndCountsThem(StoreKind kind) throws Exception {
        open(kind);
        fixture.singles(80);

        JobPage failed = store.parts().queries().page(JobFilter.inState(JobState.FAILED), PageRequest.first(100));

        assertThat(failed.rows()).hasSize(10).allSatisfy(row -> assertThat(row.state()).isEqualTo(JobState.FAILED));
        assertThat(failed.total()).isEqualTo(10);
        assertThat(store.parts().queries().counts().of(JobState.SUCCEEDED)).isEqualTo(40);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAddressADomainASubjectsWordsAndAJobIdFindTheirJobs(StoreKind kind) throws Exception {
        open(kind);
        List<UUID> jobs = fixture.singles(70);
        UUID bulk = fixture.bulk("member", 12, "Spring campaign");

        assertThat(found("USER12@")).containsExactly(jobs.get(12));
        assertThat(found("@D3.example")).containsExactlyInAnyOrder(jobs.get(3), jobs.get(10), jobs.get(17), jobs.get(24),
                jobs.get(31), jobs.get(38), jobs.get(45), jobs.get(52), jobs.get(59), jobs.get(66));
        assertThat(found("invoice 12")).containsExactlyInAnyOrder(jobs.get(12), jobs.get(25), jobs.get(38), jobs.get(51),
                jobs.get(64));
        assertThat(found("campa")).containsExactly(bulk);
        assertThat(found("MEMBER7@bulk")).containsExactly(bulk);
        assertThat(found(jobs.get(17).toString())).containsExactly(jobs.get(17));
        assertThat(found(jobs.get(17).toString().substring(0, 13).toUpperCase(Locale.ROOT))).contains(jobs.get(17));
        assertThat(found("nobody@nowhere")).isEmpty();
        JobPage failedToD3 = store.parts().queries().page(JobFilter.inState(JobState.FAILED).withSearch("@d3.example"),
                PageRequest.first(50));
        // Of the jobs to d3 (i % 7 == 3), those with i % 8 == 3 are FAILED: jobs 3 and 59.
        assertThat(ids(failedToD3)).containsExactlyInAnyOrder(jobs.get(3), jobs.get(59));
    }

    @Slow
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSearchOfMoreThanTenThousandMatchesIsCappedAndAStatesCountIsExact(StoreKind kind) throws Exception {
        open(kind);
        fixture.singles(JobSearch.COUNT_LIMIT + 100);
        JobFilter filter = JobFilter.ALL.withSearch("@d");

        JobPage first = store.parts().queries().page(filter, PageRequest.first(50));
        JobPage byRecipient = store.parts().queries().page(filter, PageRequest.first(JobSort.RECIPIENT, false, 50));

        assertThat(first.totalCapped()).isTrue();
        assertThat(first.total()).isEqualTo(JobSearch.COUNT_LIMIT + 1);
        assertThat(first.rows()).hasSize(50).extracting(JobRow::updatedAt).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(byRecipient.rows()).hasSize(50).extracting(row -> row.recipient().toLowerCase(Locale.ROOT)).isSorted();
        assertThat(store.parts().queries().count(filter)).isEqualTo(JobSearch.COUNT_LIMIT + 100);
        assertThat(store.parts().queries().count(JobFilter.inState(JobState.FAILED).withSearch("@d")))
                .isEqualTo(java.util.stream.IntStream.range(0, JobSearch.COUNT_LIMIT + 100).filter(i -> i % 8 == 3).count());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBulkRetryOrDeleteSelectsEveryMatchingJobOnceInIdOrder(StoreKind kind) throws Exception {
        open(kind);
        List<UUID> jobs = fixture.singles(160);
        BulkActions bulk = new BulkActions(store.parts().queries(), store.parts().engine().storage(), () -> { }, Clock.systemUTC(), 7);
        JobFilter failed = JobFilter.inState(JobState.FAILED);
        JobFilter toD2 = JobFilter.ALL.withSearch("@d2.example");

        assertThat(bulk.plan(Action.RETRY, failed).count()).isEqualTo(20);
        assertThat(bulk.plan(Action.DELETE, toD2).count()).isEqualTo(23);
        assertThat(walk(failed)).hasSize(20).isSortedAccordingTo(Comparator.comparing(UUID::toString))
                .containsExactlyInAnyOrderElementsOf(jobs.stream().filter(id -> jobs.indexOf(id) % 8 == 3).toList());
        assertThat(walk(toD2)).hasSize(23).isSortedAccordingTo(Comparator.comparing(UUID::toString))
                .containsExactlyInAnyOrderElementsOf(jobs.stream().filter(id -> jobs.indexOf(id) % 7 == 2).toList());
    }

    // Helpers

    private List<UUID> walk(JobFilter filter) throws SQLException {
        List<UUID> walked = new ArrayList<>();
        Optional<UUID> after = Optional.empty();
        for (List<UUID> page = store.parts().queries().matchingIds(filter, after, 5); !page.isEmpty();
             page = store.parts().queries().matchingIds(filter, after, 5)) {
            walked.addAll(page);
            after = Optional.of(page.get(page.size() - 1));
        }
        return walked;
    }

    private List<UUID> found(String search) throws SQLException {
        return forwards(JobFilter.ALL.withSearch(search), PageRequest.first(6));
    }

    /** Single jobs with attempts of every kind (as ShownColumnSortTest's), and one bulk job. */
    private void varied(int count) throws SQLException {
        List<UUID> jobs = fixture.singles(count);
        String[] replies = {"250 2.0.0 Ok: queued", "550 5.1.1 User unknown", "451 4.7.1 Greylisted, try again",
                "Connection refused", "421 Too many connections", "552 5.2.2 Mailbox full"};
        Integer[] codes = {250, 550, 451, null, 421, 552};
        String[] outcomes = {"SENT", "PERMANENT_FAILURE", "TRANSIENT_FAILURE", "TRANSIENT_FAILURE", "TRANSIENT_FAILURE",
                "PERMANENT_FAILURE"};
        try (Connection connection = store.parts().database().dataSource().getConnection();
             PreparedStatement attempt = connection.prepareStatement("INSERT INTO jd_delivery_attempt (job_id, attempt,"
                     + " email_id, host, started_at, finished_at, outcome, smtp_code, smtp_reply, message_id)"
                     + " VALUES (?, ?, (SELECT id FROM jd_email WHERE job_id = ?), ?, ?, ?, ?, ?, ?, 'm')")) {
            for (int i = 0; i < jobs.size(); i++) {
                int tries = i % 4;
                for (int a = 1; a <= tries; a++) {
                    int kind = (i * 7 + a) % replies.length;
                    attempt.setString(1, jobs.get(i).toString());
                    attempt.setInt(2, a);
                    attempt.setString(3, jobs.get(i).toString());
                    attempt.setString(4, (i % 3 == 0 ? "Host-" : "host-") + (i % 5));
                    attempt.setTimestamp(5, Timestamp.from(JobRowsFixture.BASE.plusSeconds(a)));
                    attempt.setTimestamp(6, Timestamp.from(JobRowsFixture.BASE.plusSeconds(a)));
                    attempt.setString(7, outcomes[kind]);
                    attempt.setObject(8, codes[kind], java.sql.Types.INTEGER);
                    attempt.setString(9, replies[kind]);
                    attempt.executeUpdate();
                }
            }
        }
        fixture.bulk("b", 5, "Bulk news");
    }

    private List<JobRow> everyRow(JobFilter filter) throws SQLException {
        return store.parts().queries().page(filter, PageRequest.first(100_000)).rows();
    }

    /** The order the rows show: the column as shown, ignoring case, ties by job id (updated and state as JobRunr's). */
    private static List<UUID> expected(List<JobRow> rows, JobSort sort, boolean descending) {
        Comparator<JobRow> order = switch (sort) {
            case RECIPIENT -> Comparator.comparing(row -> row.recipient().replaceFirst(" \\(\\+\\d+\\)$", "")
                    .toLowerCase(Locale.ROOT));
            case SUBJECT -> Comparator.comparing(row -> row.subject().toLowerCase(Locale.ROOT));
            case TRIES -> Comparator.comparingInt(JobRow::attempts);
            case HOST -> Comparator.comparing(row -> row.host() == null ? "" : row.host());
            case CODE -> Comparator.comparingInt(row -> row.lastCode() == null ? 0 : row.lastCode());
            case REPLY -> Comparator.comparing(row -> row.lastReply() == null ? ""
                    : ReplyStatus.withoutStatus(row.lastReply()).strip().toLowerCase(Locale.ROOT));
            case UPDATED -> Comparator.comparing(JobRow::updatedAt);
            case STATE -> Comparator.<JobRow, String>comparing(row -> row.state().name()).thenComparing(JobRow::updatedAt);
            default -> throw new IllegalArgumentException(sort.name());
        };
        order = order.thenComparing(row -> row.jobId().toString());
        List<JobRow> sorted = new ArrayList<>(rows);
        sorted.sort(descending ? order.reversed() : order);
        return sorted.stream().map(JobRow::jobId).toList();
    }

    private List<UUID> forwards(JobFilter filter, PageRequest first) throws SQLException {
        List<UUID> seen = new ArrayList<>();
        JobPage page = store.parts().queries().page(filter, first);
        seen.addAll(ids(page));
        while (page.hasNext()) {
            page = store.parts().queries().page(filter, first.after(page.lastKey().orElseThrow()));
            seen.addAll(ids(page));
        }
        return seen;
    }

    private List<UUID> backwards(JobFilter filter, PageRequest first) throws SQLException {
        List<List<UUID>> pages = new ArrayList<>();
        JobPage page = store.parts().queries().page(filter, first.last());
        pages.add(ids(page));
        while (page.hasPrevious()) {
            page = store.parts().queries().page(filter, first.before(page.firstKey().orElseThrow()));
            pages.add(ids(page));
        }
        Collections.reverse(pages);
        return pages.stream().flatMap(List::stream).toList();
    }

    private static List<UUID> ids(JobPage page) {
        return page.rows().stream().map(JobRow::jobId).toList();
    }
}
