package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.jobrunr.JobKeysBuild;
import dev.jobdeck.core.jobs.jobrunr.JobPageSql;
import dev.jobdeck.core.jobs.jobrunr.JobRunrSchema;
import dev.jobdeck.core.jobs.jobrunr.JobSearchSql;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.JobSearch;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.mail.ReplyStatus;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.Slow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
 * The Jobs table ordered by the columns it shows (Recipient, Subject, Tries, Host, Code, Last reply; decision 30):
 * every page in both directions, with ties, a state and a search, in the order of what the rows show, each page an
 * index range (H2's own plan says so).
 */
class ShownColumnSortTest {

    private static final List<JobSort> SHOWN = List.of(JobSort.RECIPIENT, JobSort.SUBJECT, JobSort.TRIES, JobSort.HOST,
            JobSort.CODE, JobSort.REPLY);

    @TempDir
    Path temp;

    private ConsoleServices store;
    private JobRowsFixture fixture;

    @BeforeEach
    void open() throws Exception {
        store = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly());
        fixture = new JobRowsFixture(store.parts().database().dataSource());
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Stream<Arguments> sortsBothWays() {
        return SHOWN.stream().flatMap(sort -> Stream.of(Arguments.of(sort, false), Arguments.of(sort, true)));
    }

    // Orders

    @ParameterizedTest(name = "{0} descending={1}")
    @MethodSource("sortsBothWays")
    void everyPageForwardsAndBackwardsFollowsTheShownColumn(JobSort sort, boolean descending) throws Exception {
        varied(120);
        List<JobRow> all = everyRow(JobFilter.ALL);
        List<UUID> expected = expected(all, sort, descending);

        assertThat(forwards(JobFilter.ALL, PageRequest.first(sort, descending, 7))).containsExactlyElementsOf(expected);
        assertThat(backwards(JobFilter.ALL, PageRequest.first(sort, descending, 7))).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0} descending={1}")
    @MethodSource("sortsBothWays")
    void aStateAndASearchKeepTheShownColumnsOrder(JobSort sort, boolean descending) throws Exception {
        varied(120);
        JobFilter failed = JobFilter.inState(JobState.FAILED);
        JobFilter searched = JobFilter.ALL.withSearch("invoice");

        assertThat(forwards(failed, PageRequest.first(sort, descending, 4)))
                .containsExactlyElementsOf(expected(everyRow(failed), sort, descending)).isNotEmpty();
        assertThat(backwards(searched, PageRequest.first(sort, descending, 4)))
                .containsExactlyElementsOf(expected(everyRow(searched), sort, descending)).isNotEmpty();
    }

    @Slow
    @Test
    void aStateOfMoreThanTenThousandMatchesIsReadInTheKeysIndexOrderEachJobCheckedByItsState() throws Exception {
        fixture.singles(JobSearch.COUNT_LIMIT + 100);
        // A search matching every job: too many to pick a page among, so the page follows the recipients' index.
        JobFilter failed = JobFilter.inState(JobState.FAILED).withSearch("@d");
        List<JobRow> all = everyRow(JobFilter.inState(JobState.FAILED));
        List<UUID> expected = expected(all, JobSort.RECIPIENT, true);

        PageRequest first = PageRequest.first(JobSort.RECIPIENT, true, 50);
        JobPage page = store.parts().queries().page(failed, first);
        JobPage next = store.parts().queries().page(failed, first.after(page.lastKey().orElseThrow()));
        JobPage last = store.parts().queries().page(failed, first.last());

        assertThat(ids(page)).containsExactlyElementsOf(expected.subList(0, 50));
        assertThat(ids(next)).containsExactlyElementsOf(expected.subList(50, 100));
        assertThat(ids(last)).containsExactlyElementsOf(expected.subList(expected.size() - 50, expected.size()));
        assertThat(page.hasNext()).isTrue();
        assertThat(last.hasPrevious()).isTrue();
    }

    @Test
    void aBulkJobSortsByItsFirstRecipientMostTriesAndLatestHost() throws Exception {
        UUID bulk = fixture.bulk("m", 12, "Newsletter");
        fixture.singles(3);

        JobRow row = store.parts().queries().page(JobFilter.ALL, PageRequest.first(JobSort.TRIES, true, 1)).rows().get(0);

        assertThat(row.jobId()).isEqualTo(bulk);
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.sortValue()).isEqualTo(2);
        assertThat(keyOf(bulk, "recipient")).isEqualTo("m0@bulk.example");
        assertThat(keyOf(bulk, "host")).isEqualTo("host-11");
    }

    @Test
    void aDeletedJobLeavesNoKeysOrWords() throws Exception {
        UUID job = fixture.singles(1).get(0);
        assertThat(keyOf(job, "recipient")).isEqualTo("user0@d0.example");

        fixture.delete(job);

        assertThat(count("SELECT COUNT(*) FROM jd_job_key")).isZero();
        assertThat(count("SELECT COUNT(*) FROM jd_job_word")).isZero();
    }

    @Test
    void aStoreFromBeforeTheKeysGetsTheKeysAndWordsTheTriggersWouldHaveWritten() throws Exception {
        varied(40);
        List<List<Object>> kept = keyRows();
        List<List<Object>> words = rows("SELECT DISTINCT word, job_id FROM jd_job_word");
        try (Connection connection = store.parts().database().dataSource().getConnection()) {
            connection.createStatement().execute("DELETE FROM jd_job_key");
            connection.createStatement().execute("DELETE FROM jd_job_word");
            JobKeysBuild.owe(connection);
            connection.setAutoCommit(false);
            JobKeysBuild build = new JobKeysBuild(store.parts().database().dataSource(), 7);
            while (build.buildChunk(connection)) {
                assertThat(JobKeysBuild.owed(connection)).isTrue();
            }
            connection.setAutoCommit(true);
            assertThat(JobKeysBuild.owed(connection)).isFalse();
        }

        assertThat(keyRows()).containsExactlyInAnyOrderElementsOf(kept).hasSize(41);
        assertThat(rows("SELECT word, job_id FROM jd_job_word")).containsExactlyInAnyOrderElementsOf(words);
    }

    // Words

    @Test
    void aWordAnywhereInASubjectOrAnErrorReplyFindsTheJob() throws Exception {
        varied(40);

        // "Mailbox full" came back from some attempts: a word inside the reply, and the start of one ("greyl").
        assertThat(ids(page("mailbox"))).containsExactlyInAnyOrderElementsOf(repliedWith("Mailbox full"));
        assertThat(ids(page("GREYL"))).containsExactlyInAnyOrderElementsOf(repliedWith("Greylisted"));
        // Every word must be there: "user unknown" is in the 550 replies, "user mailbox" in none.
        assertThat(ids(page("unknown user"))).containsExactlyInAnyOrderElementsOf(repliedWith("User unknown"));
        assertThat(page("user mailbox").rows()).isEmpty();
        // A word in the middle of a subject, and an address's start, as before.
        assertThat(page("news").rows()).extracting(JobRow::subject).containsExactly("Bulk news");
        assertThat(page("user1").rows()).extracting(JobRow::recipient).allMatch(to -> to.startsWith("User1"));
        // A 250 reply is not an error: its words are not indexed.
        assertThat(page("queued").rows()).isEmpty();
    }

    @Test
    void aWordSearchReadsTheWordIndex() throws Exception {
        varied(300);
        JobFilter filter = JobFilter.ALL.withSearch("greylisted again");

        String candidates = explainAnalyze(JobSearchSql.candidates(filter));
        assertThat(candidates).as(candidates).doesNotContainIgnoringCase("tableScan").contains("JD_JOB_WORD_IDX")
                .contains("JD_JOB_WORD_JOB_IDX");
        String walk = explainAnalyze(JobPageSql.pageKeys(filter, PageRequest.first(50)));
        assertThat(walk).as(walk).doesNotContainIgnoringCase("tableScan").contains("JD_JOB_WORD_JOB_IDX");
    }

    private JobPage page(String search) throws SQLException {
        return store.parts().queries().page(JobFilter.ALL.withSearch(search), PageRequest.first(1_000));
    }

    /** The jobs that got an error reply containing {@code replyPart} in any attempt. */
    private List<UUID> repliedWith(String replyPart) throws SQLException {
        List<UUID> jobs = new ArrayList<>();
        try (Connection connection = store.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT DISTINCT job_id FROM jd_delivery_attempt"
                     + " WHERE smtp_reply LIKE ? AND outcome <> 'SENT'")) {
            query.setString(1, "%" + replyPart + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    jobs.add(UUID.fromString(rows.getString(1).trim()));
                }
            }
        }
        assertThat(jobs).as("the fixture's jobs that got " + replyPart).isNotEmpty();
        return jobs;
    }

    // Plans

    @Slow
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = JobSort.class, names = {"RECIPIENT", "SUBJECT", "TRIES", "HOST", "CODE", "REPLY"})
    void aPageByAShownColumnReadsOnlyItsRowsFromTheKeysIndex(JobSort sort) throws Exception {
        fixture.singles(3_000);
        PageRequest first = PageRequest.first(sort, true, 50);
        JobPage page = store.parts().queries().page(JobFilter.ALL, first);
        for (int i = 0; i < 20; i++) {
            page = store.parts().queries().page(JobFilter.ALL, first.after(page.lastKey().orElseThrow()));
        }
        String index = "JD_JOB_KEY_" + sort.keyColumn().orElseThrow().toUpperCase(Locale.ROOT) + "_IDX";

        for (PageRequest request : List.of(first, first.last(), first.after(page.lastKey().orElseThrow()),
                first.before(page.firstKey().orElseThrow()))) {
            String plan = explainAnalyze(JobPageSql.keyedPageKeys(JobFilter.ALL, request));
            assertThat(plan).as(plan).doesNotContainIgnoringCase("tableScan").contains(index);
            assertThat(scanCounts(plan)).as(plan).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(2 * 52));
        }
        String filtered = explainAnalyze(JobPageSql.keyedPageKeys(JobFilter.inState(JobState.FAILED), first));
        assertThat(filtered).as(filtered).doesNotContainIgnoringCase("tableScan").contains(index)
                .contains(JobRunrSchema.ID_STATE_INDEX.toUpperCase(Locale.ROOT));
    }

    // Helpers

    /**
     * {@code count} single jobs with attempts of every kind: tries 0 to 3, hosts and replies in and out of address
     * order, codes with and without an enhanced status, replies without a code; and one bulk job.
     */
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
                    attempt.setObject(8, codes[kind]);
                    attempt.setString(9, replies[kind]);
                    attempt.executeUpdate();
                }
            }
        }
        fixture.bulk("b", 5, "Bulk news");
    }

    /** Every row {@code filter} matches, read one page of all. */
    private List<JobRow> everyRow(JobFilter filter) throws SQLException {
        return store.parts().queries().page(filter, PageRequest.first(100_000)).rows();
    }

    /** The order the rows show: the column as shown, ignoring case, ties by job id. */
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

    private Object keyOf(UUID job, String column) throws SQLException {
        try (Connection connection = store.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + column + " FROM jd_job_key WHERE job_id = ?")) {
            query.setString(1, job.toString());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getObject(1) : null;
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = store.parts().database().dataSource().getConnection();
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private List<List<Object>> keyRows() throws SQLException {
        return rows("SELECT * FROM jd_job_key");
    }

    private List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = store.parts().database().dataSource().getConnection();
             ResultSet result = connection.createStatement().executeQuery(sql)) {
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.add(result.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private String explainAnalyze(JobPageSql.Sql statement) throws SQLException {
        return QueryPlans.explainAnalyze(store.parts().database().dataSource(), statement);
    }

    private static List<Long> scanCounts(String plan) {
        return QueryPlans.scanCounts(plan);
    }
}
