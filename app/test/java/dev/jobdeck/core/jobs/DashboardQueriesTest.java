package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.jobrunr.JobPageSql;
import dev.jobdeck.core.jobs.jobrunr.JobSearchSql;
import dev.jobdeck.core.jobs.jobrunr.StateCounters;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.JobSearch;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.Slow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jobs screen's reads on a store of thousands of jobs: each is an index range (H2's own plan says so), keyset
 * paging walks every row once while rows come and go, and the search box's text finds what it says it finds.
 */
class DashboardQueriesTest {


    @TempDir
    Path temp;

    private ConsoleServices store;
    private JobRowsFixture fixture;

    @BeforeEach
    void open() throws Exception {
        // A script that owns the file: JobRunr's tables and JobDeck's, and no host to run the fixture's jobs.
        store = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly());
        fixture = new JobRowsFixture(store.parts().database().dataSource());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private JobPage page(JobFilter filter, PageRequest request) throws SQLException {
        return store.parts().queries().page(filter, request);
    }

    // Plans

    @Slow
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "'', UPDATED, first", "'', UPDATED, last", "'', UPDATED, keyed",
            "SUCCEEDED, UPDATED, first", "SUCCEEDED, UPDATED, last", "SUCCEEDED, UPDATED, keyed",
            "'', STATE, first", "'', STATE, last", "'', STATE, keyed"})
    void aPageReadsOnlyItsRowsFromAnIndex(String state, JobSort sort, String where) throws Exception {
        fixture.singles(3_000);
        JobFilter filter = state.isEmpty() ? JobFilter.ALL : JobFilter.inState(JobState.valueOf(state));
        PageRequest request = PageRequest.first(sort, true, 50);
        if (where.equals("last")) {
            request = request.last();
        } else if (where.equals("keyed")) {
            // A key in the middle of the store: the 1,500th job in this order.
            JobPage page = page(filter, request);
            for (int i = 0; i < 20; i++) {
                page = page(filter, request.after(page.lastKey().orElseThrow()));
            }
            request = request.after(page.lastKey().orElseThrow());
        }

        String plan = explainAnalyze(JobPageSql.pageKeys(filter, request));

        assertThat(plan).as(plan).doesNotContainIgnoringCase("tableScan");
        // A page's rows, ties at its key, and for the state order a page at most from each of JobRunr's states: a few
        // hundred rows at most, where a state holds 1,500 of the 3,000 and a scan reads them all.
        assertThat(scanCounts(plan)).as(plan).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(8 * 51));
        assertThat(page(filter, request).rows()).hasSize(50);
    }

    @Slow
    @ParameterizedTest(name = "{0}")
    @CsvSource({"user12@d5.example", "USER1", "@d3.example", "invoice 1"})
    void aSearchReadsTheMatchingEmailsFromAnIndex(String search) throws Exception {
        fixture.singles(3_000);
        JobFilter filter = JobFilter.ALL.withSearch(search);

        String candidates = explainAnalyze(JobSearchSql.candidates(filter));
        assertThat(candidates).as(candidates).doesNotContainIgnoringCase("tableScan").doesNotContain("JOBRUNR_JOBS")
                .containsAnyOf("JD_EMAIL_TO_LC_JOBS_IDX", "JD_EMAIL_TO_DOMAIN_JOBS_IDX");
        // Past 10,000 matches the page is read in the jobs' order, each job looked up among the matches by index.
        String page = explainAnalyze(JobPageSql.pageKeys(filter, PageRequest.first(50)));
        assertThat(page).as(page).doesNotContainIgnoringCase("tableScan").contains("JD_EMAIL_JOB_IDX");
        String count = explainAnalyze(JobPageSql.matchCount(filter));
        assertThat(count).as(count).doesNotContainIgnoringCase("tableScan");
    }

    @Slow
    @Test
    void aSearchMatchingMoreThanTenThousandJobsReadsItsPageInOrderAndCountsToTenThousand() throws Exception {
        fixture.singles(JobSearch.COUNT_LIMIT + 100);
        JobFilter filter = JobFilter.ALL.withSearch("@d");

        JobPage first = page(filter, PageRequest.first(50));
        JobPage failed = page(filter.withState(Optional.of(JobState.FAILED)), PageRequest.first(50));
        // The union's first branch (every matching e-mail's own job) stops at 10,001 of the 10,100 matches too: H2
        // does not stop a union's branches at the union's own FETCH. (The bulk jobs' branch reads until it has 10,001
        // or the range ends, from the index alone.)
        String candidates = explainAnalyze(JobSearchSql.candidates(filter));
        assertThat(scanCounts(candidates)).as(candidates).first()
                .satisfies(count -> assertThat(count).isEqualTo(JobSearch.COUNT_LIMIT + 1));

        assertThat(first.totalCapped()).isTrue();
        assertThat(first.total()).isEqualTo(JobSearch.COUNT_LIMIT + 1);
        assertThat(first.rows()).hasSize(50).extracting(JobRow::updatedAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(first.rows().get(0).updatedAt()).isEqualTo(page(JobFilter.ALL, PageRequest.first(1)).rows().get(0).updatedAt());
        assertThat(failed.totalCapped()).isFalse();
        assertThat(failed.total()).isEqualTo(scanned().get(JobState.FAILED));
        assertThat(failed.rows()).allSatisfy(row -> assertThat(row.state()).isEqualTo(JobState.FAILED));
    }

    @ParameterizedTest
    @CsvSource({"UPDATED, true", "STATE, false"})
    void pagingThroughASearchReturnsItsMatchesOnceInOrder(JobSort sort, boolean descending) throws Exception {
        fixture.singles(700);
        JobFilter filter = JobFilter.ALL.withSearch("@d3.example");
        PageRequest first = PageRequest.first(sort, descending, 9);
        List<UUID> all = walk(PageRequest.first(sort, descending, 1_000), JobFilter.ALL, 10).ids;

        List<UUID> forwards = walk(first, filter, 1_000).ids;
        List<UUID> backwards = new ArrayList<>();
        JobPage page = page(filter, first.last());
        while (true) {
            backwards.addAll(0, page.rows().stream().map(JobRow::jobId).toList());
            if (!page.hasPrevious()) {
                break;
            }
            page = page(filter, first.before(page.firstKey().orElseThrow()));
        }

        assertThat(forwards).hasSize(100).isEqualTo(backwards);
        assertThat(forwards).isEqualTo(all.stream().filter(forwards::contains).toList());
        assertThat(page(filter, first).total()).isEqualTo(100);
    }

    @Slow
    @Test
    void countsReadTheCountersNotTheJobs() throws Exception {
        fixture.singles(3_000);
        try (Connection connection = store.parts().database().dataSource().getConnection();
             PreparedStatement explain = connection.prepareStatement("EXPLAIN ANALYZE SELECT state, SUM(jobs) FROM"
                     + " (SELECT state, jobs FROM jd_job_count UNION ALL SELECT state, delta FROM jd_job_count_change)"
                     + " c GROUP BY state");
             ResultSet plan = explain.executeQuery()) {
            plan.next();
            assertThat(plan.getString(1)).doesNotContainIgnoringCase("jobrunr_jobs");
        }
        assertThat(store.parts().queries().counts().byState()).containsAllEntriesOf(scanned());
        assertThat(store.parts().queries().counts().total()).isEqualTo(3_000);
    }

    @Test
    void aBulkJobsRowReadsItsFirstRecipientAndLatestAttemptByIndex() throws Exception {
        UUID bulk = fixture.bulk("member", 300, "Campaign");
        fixture.singles(100);

        String plan = explainAnalyze(JobPageSql.rowsOf(List.of(bulk)));
        JobRow row = page(JobFilter.ALL.withSearch("member7@"), PageRequest.first(50)).rows().get(0);

        assertThat(plan).as(plan).doesNotContainIgnoringCase("tableScan");
        // Each attempt names its bulk job as it is written: the latest attempt and the most tries are one index entry
        // each, not a read of 300 recipients' attempts; the count of recipients reads the 300 entries of one index.
        assertThat(scanCounts(plan)).as(plan).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(301));
        assertThat(scanCounts(plan).stream().filter(count -> count > 2)).as(plan).hasSize(1);
        assertThat(row.jobId()).isEqualTo(bulk);
        assertThat(row.recipient()).isEqualTo("member0@bulk.example (+299)");
        assertThat(row.subject()).isEqualTo("Campaign");
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.host()).isEqualTo("host-299");
        assertThat(row.lastReply()).isEqualTo("250 2.0.0 ok 299");
    }

    // Keyset paging

    @ParameterizedTest
    @CsvSource({"UPDATED, true", "UPDATED, false", "STATE, true", "STATE, false"})
    void pagingForwardReturnsEveryRowOnceWhileRowsComeAndGo(JobSort sort, boolean descending) throws Exception {
        fixture.singles(200);
        PageRequest first = PageRequest.first(sort, descending, 7);
        List<UUID> before = walk(first, 1_000).ids;
        Set<UUID> deleted = new HashSet<>();

        List<UUID> seen = new ArrayList<>();
        JobPage page = page(JobFilter.ALL, first);
        int round = 0;
        while (true) {
            page.rows().forEach(row -> seen.add(row.jobId()));
            if (!page.hasNext()) {
                break;
            }
            // Meanwhile: new jobs arrive and one job not reached yet goes. Offset paging would show rows twice.
            fixture.singles(3);
            UUID ahead = before.get(Math.min(before.size() - 1, seen.size() + 5 + round++));
            if (!seen.contains(ahead) && deleted.add(ahead)) {
                fixture.delete(ahead);
            }
            page = page(JobFilter.ALL, first.after(page.lastKey().orElseThrow()));
        }

        assertThat(seen).doesNotHaveDuplicates();
        List<UUID> expected = new ArrayList<>(before);
        expected.removeAll(deleted);
        assertThat(seen.stream().filter(before::contains).toList()).isEqualTo(expected);
    }

    @Test
    void pagingBackwardsFromTheLastPageReturnsTheSameRowsInTheSameOrder() throws Exception {
        fixture.singles(100);
        PageRequest first = PageRequest.first(JobSort.UPDATED, true, 9);
        List<UUID> forwards = walk(first, 1_000).ids;

        List<UUID> backwards = new ArrayList<>();
        JobPage page = page(JobFilter.ALL, first.last());
        assertThat(page.hasNext()).isFalse();
        while (true) {
            backwards.addAll(0, page.rows().stream().map(JobRow::jobId).toList());
            if (!page.hasPrevious()) {
                break;
            }
            page = page(JobFilter.ALL, first.before(page.firstKey().orElseThrow()));
        }

        assertThat(backwards).isEqualTo(forwards);
        assertThat(page(JobFilter.ALL, first.last()).rows()).extracting(JobRow::jobId)
                .isEqualTo(forwards.subList(forwards.size() - 9, forwards.size()));
    }

    @Test
    void aStateFilterAndATimeRangeNarrowThePagesAndTheirCount() throws Exception {
        fixture.singles(400);
        JobFilter filter = JobFilter.inState(JobState.FAILED).withRange(Optional.of(JobRowsFixture.BASE.plusSeconds(50)),
                Optional.of(JobRowsFixture.BASE.plusSeconds(150)));

        Walk walk = walk(PageRequest.first(JobSort.UPDATED, false, 4), filter, 1_000);

        assertThat(walk.rows).isNotEmpty().allSatisfy(row -> {
            assertThat(row.state()).isEqualTo(JobState.FAILED);
            assertThat(row.updatedAt()).isBetween(JobRowsFixture.BASE.plusSeconds(50), JobRowsFixture.BASE.plusSeconds(149));
        });
        assertThat(walk.rows).extracting(JobRow::updatedAt).isSorted();
        assertThat(page(filter, PageRequest.first(4)).total()).isEqualTo(walk.rows.size());
    }

    // Search

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"01a24fe8, JOB_ID", "01A24FE8-5B77, JOB_ID", "01a24fe8-5b77-7b65-8070-e152fb2cdd73, JOB_ID",
            "@example.org, DOMAIN", "@Example, DOMAIN", "ann@example.org, ADDRESS", "ann@, ADDRESS", "ann, TEXT",
            "Invoice 42, TEXT", "deadbeef cafe, TEXT", "1234567, TEXT"})
    void theSearchBoxsTextDecidesWhatItSearches(String text, JobSearch.SearchKind kind) {
        assertThat(JobSearch.SearchKind.of(text)).isEqualTo(kind);
    }

    @Test
    void anAddressOrItsStartFindsItsJobsIgnoringCase() throws Exception {
        List<UUID> jobs = fixture.singles(300);

        assertThat(found("USER12@")).containsExactly(jobs.get(12));
        assertThat(found("user12")).containsExactlyInAnyOrder(jobs.get(12), jobs.get(120), jobs.get(121), jobs.get(122),
                jobs.get(123), jobs.get(124), jobs.get(125), jobs.get(126), jobs.get(127), jobs.get(128), jobs.get(129));
    }

    @Test
    void aDomainFindsEveryJobToIt() throws Exception {
        List<UUID> jobs = fixture.singles(70);

        assertThat(found("@D3.example")).containsExactlyInAnyOrderElementsOf(
                List.of(jobs.get(3), jobs.get(10), jobs.get(17), jobs.get(24), jobs.get(31), jobs.get(38), jobs.get(45),
                        jobs.get(52), jobs.get(59), jobs.get(66)));
        assertThat(found("@d")).hasSize(70);
    }

    @Test
    void theStartOfASubjectFindsItsJobs() throws Exception {
        List<UUID> jobs = fixture.singles(26);

        assertThat(found("invoice 12")).containsExactlyInAnyOrder(jobs.get(12), jobs.get(25));
    }

    @Test
    void aJobIdOrItsStartFindsThatJob() throws Exception {
        List<UUID> jobs = fixture.singles(50);
        UUID wanted = jobs.get(17);

        assertThat(found(wanted.toString())).containsExactly(wanted);
        assertThat(found(wanted.toString().substring(0, 13).toUpperCase())).contains(wanted);
    }

    @Test
    void aRecipientOfABulkJobFindsTheBulkJob() throws Exception {
        fixture.singles(20);
        UUID bulk = fixture.bulk("member", 40, "Campaign");

        assertThat(found("MEMBER33@bulk")).containsExactly(bulk);
        assertThat(found("@bulk.example")).containsExactly(bulk);
        assertThat(found("campaign")).containsExactly(bulk);
    }

    @Test
    void aSearchThatMatchesNothingIsAnEmptyPage() throws Exception {
        fixture.singles(20);

        JobPage page = page(JobFilter.ALL.withSearch("nobody@nowhere"), PageRequest.first(50));

        assertThat(page.rows()).isEmpty();
        assertThat(page.total()).isZero();
        assertThat(page.hasNext()).isFalse();
        assertThat(page.hasPrevious()).isFalse();
    }

    @Test
    void aSearchWithAStateFindsOnlyJobsInThatState() throws Exception {
        fixture.singles(56);

        JobPage page = page(JobFilter.inState(JobState.FAILED).withSearch("@d3.example"), PageRequest.first(50));

        // Jobs 3, 10, ..., 52 go to d3; of those, i % 8 == 3 is FAILED: job 3 alone.
        assertThat(page.rows()).singleElement().satisfies(row -> assertThat(row.recipient()).isEqualTo("User3@d3.example"));
        assertThat(page.total()).isEqualTo(1);
    }

    // Helpers

    private List<UUID> found(String search) throws SQLException {
        return walk(PageRequest.first(50), JobFilter.ALL.withSearch(search), 100).ids;
    }

    private record Walk(List<UUID> ids, List<JobRow> rows) {
    }

    private Walk walk(PageRequest first, int maxPages) throws SQLException {
        return walk(first, JobFilter.ALL, maxPages);
    }

    private Walk walk(PageRequest first, JobFilter filter, int maxPages) throws SQLException {
        List<JobRow> rows = new ArrayList<>();
        JobPage page = page(filter, first);
        for (int i = 0; i < maxPages; i++) {
            rows.addAll(page.rows());
            if (!page.hasNext()) {
                break;
            }
            page = page(filter, first.after(page.lastKey().orElseThrow()));
        }
        return new Walk(rows.stream().map(JobRow::jobId).toList(), rows);
    }

    private java.util.Map<JobState, Long> scanned() throws SQLException {
        try (Connection connection = store.parts().database().dataSource().getConnection()) {
            return StateCounters.scannedCounts(connection);
        }
    }

    private String explainAnalyze(JobPageSql.Sql statement) throws SQLException {
        return QueryPlans.explainAnalyze(store.parts().database().dataSource(), statement);
    }

    private static List<Long> scanCounts(String plan) {
        return QueryPlans.scanCounts(plan);
    }

    @SuppressWarnings("unused")
    private static Instant at(long seconds) {
        return JobRowsFixture.BASE.plusSeconds(seconds);
    }
}
