package dev.jobdeck.bench;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.JobPage;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.store.DataDirectory;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.navigation.OffsetBasedPageRequest;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Not a unit test: {@code bench/dashboard.sh STORE_DIR [REPEATS]} runs it on a data directory of N generated jobs.
 * Times what the Jobs screen and {@code status --json} read (median of REPEATS after one warm-up) against JobRunr's
 * own {@link StorageProvider} paging ({@code getJobs(state, OffsetBasedPageRequest)}: a count and a page) and
 * {@code getJobStats()} on the same store in the same run, and prints a markdown table with the ratios.
 */
public final class DashboardBench {

    private static final int PAGE = 50;

    private record Row(String what, double jobDeckMillis, String baseline, double baselineMillis, String aim) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Row> table = new ArrayList<>();
        long total;
        long succeeded;
        double openMillis;
        double ledgerMillis;
        Row countsRow;
        long start = System.nanoTime();
        try (ConsoleServices store = ConsoleServices.open(new DataDirectory(dir), ConsoleServices.Options.storeOnly())) {
            openMillis = (System.nanoTime() - start) / 1e6;
            JobQueries jobs = store.parts().queries();
            StorageProvider jobRunr = store.parts().engine().storage();
            total = jobs.counts().total();
            succeeded = jobRunr.countJobs(StateName.SUCCEEDED);
            String address = middleRecipient(store);
            Runnable churn = churn(store);
            String domain = address.substring(address.indexOf('@'));
            JobFilter done = JobFilter.inState(JobState.SUCCEEDED);
            Callable<Object> jobRunrFirst = () -> jobRunr.getJobs(StateName.SUCCEEDED,
                    new OffsetBasedPageRequest("updatedAt:DESC", 0L, PAGE));
            Callable<Object> jobRunrLast = () -> jobRunr.getJobs(StateName.SUCCEEDED,
                    new OffsetBasedPageRequest("updatedAt:DESC", Math.max(0, succeeded - PAGE), PAGE));

            countsRow = new Row("counts per state", time(repeats, churn, jobs::counts),
                    "`getJobStats()`", time(repeats, churn, jobRunr::getJobStats), "≤ 100 ms");
            // -Dbench.only=status: the counts and status alone (JobRunr's own paging takes most of an hour at a million).
            if (!"status".equals(System.getProperty("bench.only"))) {
                table.add(new Row("first page of a recipient search (`" + address + "`)",
                        time(repeats, churn, () -> nonEmpty(jobs.page(JobFilter.ALL.withSearch(address), PageRequest.first(PAGE)))),
                        "`getJobs(SUCCEEDED, offset 0)`", time(repeats, churn, jobRunrFirst), "≤ 300 ms"));
                table.add(new Row("first page of a domain search (`" + domain + "`, count stops at 10,000)",
                        time(repeats, churn, () -> nonEmpty(jobs.page(JobFilter.ALL.withSearch(domain), PageRequest.first(PAGE)))),
                        "`getJobs(SUCCEEDED, offset 0)`", time(repeats, churn, jobRunrFirst), ""));
                table.add(new Row("first page of Succeeded, newest first",
                        time(repeats, churn, () -> nonEmpty(jobs.page(done, PageRequest.first(PAGE)))),
                        "`getJobs(SUCCEEDED, offset 0)`", time(repeats, churn, jobRunrFirst), ""));
                table.add(new Row("last page of Succeeded",
                        time(repeats, churn, () -> nonEmpty(jobs.page(done, PageRequest.first(PAGE).last()))),
                        "`getJobs(SUCCEEDED, offset " + Math.max(0, succeeded - PAGE) + ")`", time(repeats, churn, jobRunrLast),
                        "as the first page"));
                table.add(new Row("last page of all jobs",
                        time(repeats, churn, () -> nonEmpty(jobs.page(JobFilter.ALL, PageRequest.first(PAGE).last()))),
                        "`getJobs(SUCCEEDED, offset " + Math.max(0, succeeded - PAGE) + ")`", time(repeats, churn, jobRunrLast),
                        "as the first page"));
                table.add(new Row("all jobs sorted by state, first page",
                        time(repeats, churn, () -> nonEmpty(jobs.page(JobFilter.ALL, PageRequest.first(JobSort.STATE, false, PAGE)))),
                        "`getJobs(SUCCEEDED, createdAt:ASC, offset 0)`", time(repeats, churn, () -> jobRunr.getJobs(
                                StateName.SUCCEEDED, new OffsetBasedPageRequest("createdAt:ASC", 0L, PAGE))), ""));
                // Decision 30: the other columns' orders, from jd_job_key's indexes, first and last page; within a state;
                // and words of subjects and error replies.
                for (JobSort sort : List.of(JobSort.RECIPIENT, JobSort.SUBJECT, JobSort.TRIES, JobSort.HOST, JobSort.CODE,
                        JobSort.REPLY)) {
                    String name = sort.name().toLowerCase(java.util.Locale.ROOT);
                    PageRequest first = PageRequest.first(sort, false, PAGE);
                    table.add(new Row("all jobs by " + name + ", first page",
                            time(repeats, churn, () -> nonEmpty(jobs.page(JobFilter.ALL, first))),
                            "`getJobs(SUCCEEDED, offset 0)`", time(repeats, churn, jobRunrFirst), ""));
                    table.add(new Row("all jobs by " + name + ", last page",
                            time(repeats, churn, () -> nonEmpty(jobs.page(JobFilter.ALL, first.last()))),
                            "`getJobs(SUCCEEDED, offset " + Math.max(0, succeeded - PAGE) + ")`", time(repeats, churn, jobRunrLast),
                            "as the first page"));
                }
                for (JobState state : List.of(JobState.SUCCEEDED, JobState.FAILED)) {
                    JobFilter inState = JobFilter.inState(state);
                    PageRequest first = PageRequest.first(JobSort.RECIPIENT, true, PAGE);
                    table.add(new Row(JobQueries.title(state) + " by recipient, last first, first page",
                            time(repeats, churn, () -> nonEmpty(jobs.page(inState, first))),
                            "`getJobs(SUCCEEDED, offset 0)`", time(repeats, churn, jobRunrFirst), ""));
                    table.add(new Row(JobQueries.title(state) + " by recipient, last first, last page",
                            time(repeats, churn, () -> nonEmpty(jobs.page(inState, first.last()))),
                            "`getJobs(SUCCEEDED, offset " + Math.max(0, succeeded - PAGE) + ")`", time(repeats, churn, jobRunrLast),
                            "as the first page"));
                }
                for (String words : List.of("spam", "mailbox full", "greylisted")) {
                    table.add(new Row("first page of a word search (`" + words + "`)",
                            time(repeats, churn, () -> nonEmpty(jobs.page(JobFilter.ALL.withSearch(words), PageRequest.first(PAGE)))),
                            "`getJobs(SUCCEEDED, offset 0)`", time(repeats, churn, jobRunrFirst), "≤ 300 ms"));
                }
            }
            table.add(countsRow);
            long ledgerStart = System.nanoTime();
            store.parts().reports().ledger(Optional.empty());
            ledgerMillis = (System.nanoTime() - ledgerStart) / 1e6;
        }
        double statusMillis = statusCommand(dir, repeats);
        table.add(new Row("`jobdeck status --json` (a new JVM, the store opened by it)", statusMillis,
                "`getJobStats()` (in-process)", countsRow.baselineMillis(), "≤ 1 s"));

        System.out.printf("Store: %s, %,d jobs (%,d succeeded); median of %d after a warm-up; opening it took %.0f ms"
                + " here, the survival report's ledger %.0f ms.%n%n", dir, total, succeeded, repeats, openMillis, ledgerMillis);
        System.out.println("| what | JobDeck | JobRunr baseline | baseline | JobDeck ÷ baseline | aim |");
        System.out.println("|---|---:|---|---:|---:|---|");
        for (Row row : table) {
            System.out.printf("| %s | %.1f ms | %s | %.1f ms | %.2f | %s |%n", row.what(), row.jobDeckMillis(), row.baseline(),
                    row.baselineMillis(), row.jobDeckMillis() / row.baselineMillis(), row.aim());
        }
    }

    private static Object nonEmpty(JobPage page) {
        if (page.rows().isEmpty()) {
            throw new IllegalStateException("an empty page: the bench measures nothing");
        }
        return page;
    }

    /**
     * One job and one e-mail written before each timed read, as a live store is: H2 hands a statement the result it
     * computed last time when none of its tables changed since, which on a still store would time a cache, for
     * JobDeck's reads and JobRunr's alike. The writes change nothing (a job's state there and back, a subject to
     * itself).
     */
    private static Runnable churn(ConsoleServices store) throws Exception {
        String jobId;
        Object emailId;
        try (Connection connection = store.parts().database().dataSource().getConnection();
             PreparedStatement firstJob = connection.prepareStatement(
                     "SELECT id FROM jobrunr_jobs WHERE state = 'SUCCEEDED' FETCH FIRST 1 ROW ONLY");
             PreparedStatement firstEmail = connection.prepareStatement("SELECT id FROM jd_email FETCH FIRST 1 ROW ONLY");
             ResultSet job = firstJob.executeQuery();
             ResultSet email = firstEmail.executeQuery()) {
            job.next();
            email.next();
            jobId = job.getString(1);
            emailId = email.getObject(1);
        }
        return () -> {
            try (Connection connection = store.parts().database().dataSource().getConnection();
                 PreparedStatement job = connection.prepareStatement("UPDATE jobrunr_jobs SET state = ? WHERE id = ?");
                 PreparedStatement email = connection.prepareStatement("UPDATE jd_email SET subject = subject WHERE id = ?")) {
                for (StateName state : new StateName[] {StateName.AWAITING, StateName.SUCCEEDED}) {
                    job.setString(1, state.name());
                    job.setString(2, jobId);
                    job.executeUpdate();
                }
                email.setObject(1, emailId);
                email.executeUpdate();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("Cannot touch the store between reads: " + e.getMessage(), e);
            }
        };
    }

    /** A recipient from the middle of the outbox, written in full: what an operator pastes into the search box. */
    private static String middleRecipient(ConsoleServices store) throws Exception {
        try (Connection connection = store.parts().database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT to_addr FROM jd_email WHERE bulk_job_id IS NULL ORDER BY to_lc OFFSET"
                             + " (SELECT COUNT(*) / 2 FROM jd_email) ROWS FETCH FIRST 1 ROW ONLY");
             ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                throw new IllegalStateException("the store has no e-mails");
            }
            return rows.getString(1);
        }
    }

    private static double time(int repeats, Runnable churn, Callable<?> work) throws Exception {
        churn.run();
        work.call();
        double[] millis = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            churn.run();
            long t0 = System.nanoTime();
            work.call();
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(millis);
        return millis[repeats / 2];
    }

    /** {@code jobdeck status --json} as a user runs it: a JVM of its own, wall clock, median of {@code repeats}. */
    private static double statusCommand(Path dir, int repeats) throws Exception {
        String classpath = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[] millis = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            Process process = new ProcessBuilder(java, "-cp", classpath, "dev.jobdeck.cli.Main", "status", "--json",
                    "--data-dir", dir.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(new File("/dev/null")).start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("status --json failed with " + process.exitValue());
            }
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(millis);
        return millis[repeats / 2];
    }
}
