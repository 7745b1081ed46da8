package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.jobrunr.JobKeysBuild;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one-time build of sort keys and words for a store from before decision 30: owed by the open, never done during
 * it, built by the owner in the background, resumed after a close or a kill, and reported rather than hiding jobs
 * while it runs.
 */
class JobKeysBuildTest {

    private static final Duration BUILT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void aStoreFromBeforeTheKeysOpensWithoutBuildingThemAndTheConsoleBuildsThemInTheBackground() throws Exception {
        List<UUID> jobs = storeFromBeforeTheKeys(300);

        try (ConsoleServices script = openScript()) {
            // The open only created the triggers and noted the build as owed: no job got its keys or words.
            assertThat(count(script, "SELECT COUNT(DISTINCT TRIGGER_NAME) FROM INFORMATION_SCHEMA.TRIGGERS WHERE TRIGGER_NAME IN"
                    + " ('JD_JOB_KEYS_TRIGGER', 'JD_EMAIL_KEYS_TRIGGER', 'JD_ATTEMPT_KEYS_TRIGGER')")).isEqualTo(3);
            assertThat(count(script, "SELECT COUNT(*) FROM jd_job_key")).isZero();
            assertThat(count(script, "SELECT COUNT(*) FROM jd_job_word")).isZero();
            assertThat(script.parts().queries().keysBuilding()).contains(0);
        }

        try (ConsoleServices console = Consoles.open(temp)) {
            await().atMost(BUILT).until(() -> console.parts().queries().keysBuilding().isEmpty());

            assertThat(count(console, "SELECT COUNT(*) FROM jd_job_key")).isEqualTo(jobs.size());
            PageRequest byRecipient = PageRequest.first(JobSort.RECIPIENT, false, 1_000);
            JobPage page = console.parts().queries().page(JobFilter.ALL, byRecipient);
            assertThat(page.sortedOtherwise(byRecipient)).isFalse();
            assertThat(page.keysBuilding()).isEmpty();
            assertThat(ids(page)).containsExactlyElementsOf(byRecipient(page.rows()))
                    .containsExactlyInAnyOrderElementsOf(jobs);
            assertThat(ids(console.parts().queries().page(JobFilter.ALL.withSearch("invoice"), PageRequest.first(1_000))))
                    .containsExactlyInAnyOrderElementsOf(jobs);
        }
    }

    @Test
    void whileTheKeysAreBuiltAShownColumnsOrderFallsBackToUpdatedAndSaysSoRatherThanHidingJobs() throws Exception {
        List<UUID> jobs = storeFromBeforeTheKeys(200);

        try (ConsoleServices script = openScript()) {
            PageRequest byRecipient = PageRequest.first(JobSort.RECIPIENT, false, 1_000);
            JobPage page = script.parts().queries().page(JobFilter.ALL, byRecipient);
            JobPage search = script.parts().queries().page(JobFilter.ALL.withSearch("invoice"), PageRequest.first(1_000));

            assertThat(page.keysBuilding()).contains(0);
            assertThat(page.sortedOtherwise(byRecipient)).isTrue();
            assertThat(page.request().sort()).isEqualTo(JobSort.UPDATED);
            assertThat(ids(page)).containsExactlyInAnyOrderElementsOf(jobs);
            assertThat(search.keysBuilding()).contains(0);
        }
    }

    @Test
    void aBuildClosedHalfwayResumesOnTheNextOpenAndEndsWithOneKeyRowPerJob() throws Exception {
        List<UUID> jobs = storeFromBeforeTheKeys(2_000);

        long keyed;
        try (ConsoleServices script = openScript()) {
            JobKeysBuild build = JobKeysBuild.start(script.parts().database().dataSource(), 1);
            await().atMost(BUILT).pollInterval(Duration.ofMillis(5))
                    .until(() -> count(script, "SELECT COUNT(*) FROM jd_setting WHERE name = '" + JobKeysBuild.SETTING
                            + "' AND setting_value <> ''") > 0);
            build.close();

            assertThat(build.finished()).isTrue();
            keyed = count(script, "SELECT COUNT(*) FROM jd_job_key");
            assertThat(keyed).isPositive().isLessThan(jobs.size());
            assertThat(script.parts().queries().keysBuilding()).isPresent();
        }

        try (ConsoleServices console = Consoles.open(temp)) {
            await().atMost(BUILT).until(() -> console.parts().queries().keysBuilding().isEmpty());

            assertThat(count(console, "SELECT COUNT(*) FROM jd_job_key")).isEqualTo(jobs.size());
            assertThat(count(console, "SELECT COUNT(*) FROM jobrunr_jobs j"
                    + " WHERE NOT EXISTS (SELECT 1 FROM jd_job_key k WHERE k.job_id = j.id)")).isZero();
            // Every single job's subject "Invoice <n>": the word once per job, whether built before or after the close.
            assertThat(count(console, "SELECT COUNT(*) FROM jd_job_word WHERE word = 'invoice'")).isEqualTo(jobs.size());
        }
    }

    @Test
    void aBuildCutShortByAnOpenThatBuiltDuringItselfIsResumed() throws Exception {
        // The version that built during the open made the triggers first, then the keys job by job: killed halfway,
        // it left jobs without keys and nothing saying so.
        List<UUID> jobs;
        try (ConsoleServices script = openScript()) {
            jobs = new JobRowsFixture(script.parts().database().dataSource()).singles(300);
            settle(script);
            execute(script, "DELETE FROM jd_job_key WHERE job_id IN (SELECT job_id FROM jd_job_key ORDER BY job_id"
                    + " FETCH FIRST 150 ROWS ONLY)");
            execute(script, "DELETE FROM jd_job_word w WHERE NOT EXISTS (SELECT 1 FROM jd_job_key k WHERE k.job_id = w.job_id)");
            execute(script, "DELETE FROM jd_setting WHERE name = '" + JobKeysBuild.SETTING + "'");
        }

        try (ConsoleServices console = Consoles.open(temp)) {
            await().atMost(BUILT).until(() -> count(console, "SELECT COUNT(*) FROM jd_job_key") == jobs.size());
            assertThat(count(console, "SELECT COUNT(*) FROM jd_job_word WHERE word = 'invoice'")).isEqualTo(jobs.size());
        }
    }

    // Helpers

    private ConsoleServices openScript() throws Exception {
        return ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly());
    }

    /**
     * {@code count} single jobs in a store as it was before decision 30: no keys' triggers, tables or marker rows. The
     * jobs are in states no host runs, updated now (no retention takes them), as a console is opened on the store.
     */
    private List<UUID> storeFromBeforeTheKeys(int count) throws Exception {
        try (ConsoleServices script = openScript()) {
            List<UUID> jobs = new JobRowsFixture(script.parts().database().dataSource()).singles(count);
            settle(script);
            for (String trigger : List.of("jd_job_keys_trigger", "jd_email_keys_trigger", "jd_attempt_keys_trigger")) {
                execute(script, "DROP TRIGGER " + trigger);
            }
            execute(script, "DELETE FROM jd_job_key");
            execute(script, "DELETE FROM jd_job_word");
            execute(script, "DELETE FROM jd_setting WHERE name = '" + JobKeysBuild.SETTING + "'");
            return jobs;
        }
    }

    /** No job a console's host would run (the fixture's JSON is a stand-in), none old enough for retention. */
    private static void settle(ConsoleServices script) throws SQLException {
        execute(script, "UPDATE jobrunr_jobs SET state = 'SUCCEEDED', scheduledAt = NULL"
                + " WHERE state IN ('ENQUEUED', 'SCHEDULED', 'AWAITING', 'PROCESSING')");
        execute(script, "UPDATE jobrunr_jobs SET updatedAt = CURRENT_TIMESTAMP");
    }

    private static List<UUID> byRecipient(List<JobRow> rows) {
        return rows.stream().sorted(Comparator.comparing((JobRow row) -> row.recipient().toLowerCase(Locale.ROOT))
                .thenComparing(row -> row.jobId().toString())).map(JobRow::jobId).toList();
    }

    private static List<UUID> ids(JobPage page) {
        return new ArrayList<>(page.rows().stream().map(JobRow::jobId).toList());
    }

    private static void execute(ConsoleServices services, String sql) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(ConsoleServices services, String sql) throws SQLException {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
