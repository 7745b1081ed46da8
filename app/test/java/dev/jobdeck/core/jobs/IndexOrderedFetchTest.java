package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobStates;
import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.Slow;
import dev.jobdeck.testsupport.StoreGenerator;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.navigation.AmountRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * JobRunr's reads of the oldest jobs in a state, as it runs them on a store with a backlog of 15,000 Enqueued jobs and
 * a few thousand Succeeded ones: the statements are taken from H2's own statistics of what ran, and H2's
 * {@code EXPLAIN ANALYZE} of each tells how many rows it read. Each must read the page it returns, in an index's
 * order, not every job in the state (decision 24). Also the contract test of {@link IndexOrderedH2StorageProvider}: a
 * JobRunr upgrade that changes these statements' shape fails here.
 */
@Slow // a backlog of 15,000 jobs for the whole class
class IndexOrderedFetchTest {

    private static final int BACKLOG = 15_000;
    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    @TempDir
    static Path temp;

    private static ConsoleServices services;

    @BeforeAll
    static void generate() throws Exception {
        services = Consoles.open(temp);
        new StoreGenerator(1, Instant.now(), StoreGenerator.Mix.realistic()).fill(services, 5_000, written -> { });
        new StoreGenerator(2, Instant.now(), StoreGenerator.Mix.backlog()).fill(services, BACKLOG, written -> { });
    }

    @AfterAll
    static void close() {
        services.close();
    }

    @BeforeEach
    void collectStatements() throws SQLException {
        execute("SET QUERY_STATISTICS FALSE");
        execute("SET QUERY_STATISTICS TRUE");
    }

    @Test
    void theFetchOfWorkReadsOnlyTheJobsItTakesFromABacklog() throws Exception {
        long succeeded = services.parts().queries().counts().of(JobState.SUCCEEDED);
        services.startHost();
        try {
            await().atMost(Consoles.JOB_TIMEOUT).until(() -> services.parts().queries().counts().of(JobState.SUCCEEDED) > succeeded);
        } finally {
            // Drained, not stopped: a job cut off mid-save would log its interruption as an error.
            services.parts().engine().drainServer(Duration.ofSeconds(30), "test done");
        }

        List<String> fetches = statementsRun("where state = ?", "limit ?").stream()
                .filter(sql -> !sql.toLowerCase(Locale.ROOT).contains("<="))
                .toList();
        assertThat(fetches).as("JobRunr's fetch of Enqueued jobs, as H2 ran it").isNotEmpty();
        for (String fetch : fetches) {
            assertReadsOnlyItsPage(fetch, StateName.ENQUEUED, 16, Instant.now());
        }
    }

    @Test
    void theDeletionOfOldSucceededJobsReadsOnlyAPageOfThem() throws Exception {
        // What JobRunr's DeleteSucceededJobsTask asks every 15 s: here every Succeeded job is old enough.
        services.parts().engine().storage().getJobList(StateName.SUCCEEDED, Instant.now().plusSeconds(3600),
                new AmountRequest("updatedAt:ASC", 1000));

        List<String> reads = statementsRun("where state = ?", "updatedat <= ?");
        assertThat(reads).as("JobRunr's read of old jobs in a state, as H2 ran it").isNotEmpty();
        for (String read : reads) {
            assertReadsOnlyItsPage(read, StateName.SUCCEEDED, 1000, Instant.now().plusSeconds(3600));
        }
    }

    @Test
    void theScheduledJobsDueAreReadWithoutTheOthers() throws Exception {
        // What JobRunr's ProcessScheduledJobsTask asks every poll: the Scheduled jobs due within the next poll. Most
        // of them are retries and planned sends due later.
        Instant dueBy = Instant.now().plusSeconds(5);
        services.parts().engine().storage().getScheduledJobs(dueBy, new AmountRequest("updatedAt:ASC", 1000));

        List<String> reads = statementsRun("where state = ?", "scheduledat <= ?");
        assertThat(reads).as("JobRunr's read of the due Scheduled jobs, as H2 ran it").isNotEmpty();
        for (String read : reads) {
            assertReadsOnlyItsPage(read, StateName.SCHEDULED, 1000, dueBy);
        }
    }

    /**
     * H2 reads the rows {@code sql} returns (at most {@code limit}) and one more to see there are no others, in the
     * order of an index: not every job in {@code state}.
     */
    private static void assertReadsOnlyItsPage(String sql, StateName state, int limit, Instant before) throws SQLException {
        long matching = Math.min(limit, count(state, before, sql.toLowerCase(Locale.ROOT).contains("scheduledat")));
        assertThat(services.parts().queries().counts().of(JobStates.of(state))).as("jobs in " + state).isGreaterThan(2 * matching + 100);
        String plan = explainAnalyze(sql, state, limit, before);
        Matcher scanned = SCAN_COUNT.matcher(plan);
        assertThat(scanned.find()).as(plan).isTrue();
        assertThat(Long.parseLong(scanned.group(1))).as("rows H2 read for %s%n%s", sql, plan)
                .isLessThanOrEqualTo(matching + 1);
        assertThat(plan).as(plan).contains("/* index sorted */");
    }

    /** Jobs in {@code state} updated (or, {@code scheduled}: due) before {@code before}. */
    private static long count(StateName state, Instant before, boolean scheduled) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM jobrunr_jobs WHERE state = ? AND "
                     + (scheduled ? "scheduledAt" : "updatedAt") + " <= ?")) {
            query.setString(1, state.name());
            query.setObject(2, LocalDateTime.ofInstant(before, ZoneOffset.UTC));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * H2's plan and row counts for one of JobRunr's statements, its parameters bound by what each stands for: the
     * state, a time, the page size. A parameter of another kind means JobRunr changed it.
     */
    private static String explainAnalyze(String sql, StateName state, int limit, Instant before) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             PreparedStatement explain = connection.prepareStatement("EXPLAIN ANALYZE " + sql)) {
            Matcher parameters = Pattern.compile("(LIMIT|OFFSET)\\s+\\?|(\\w+)\\s*(<=|>=|=|<|>)\\s*\\?",
                    Pattern.CASE_INSENSITIVE).matcher(sql);
            int index = 1;
            while (parameters.find()) {
                String what = (parameters.group(1) != null ? parameters.group(1) : parameters.group(2)).toLowerCase(Locale.ROOT);
                switch (what) {
                    case "state" -> explain.setString(index++, state.name());
                    case "updatedat", "scheduledat" -> explain.setObject(index++, LocalDateTime.ofInstant(before, ZoneOffset.UTC));
                    case "limit" -> explain.setInt(index++, limit);
                    case "offset" -> explain.setInt(index++, 0);
                    default -> fail("JobRunr's statement has a parameter this test does not know (" + what + "): " + sql);
                }
            }
            assertThat(index - 1).as("parameters bound in " + sql).isEqualTo(sql.chars().filter(c -> c == '?').count());
            try (ResultSet rows = explain.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    /** Statements on JobRunr's job rows that H2 ran since statistics began, containing each of {@code parts}. */
    private static List<String> statementsRun(String... parts) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
            while (rows.next()) {
                String sql = rows.getString(1);
                String lower = sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
                boolean matches = lower.startsWith("select jobasjson from jobrunr_jobs");
                for (String part : parts) {
                    matches &= lower.contains(part);
                }
                if (matches) {
                    found.add(sql);
                }
            }
        }
        return found;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
