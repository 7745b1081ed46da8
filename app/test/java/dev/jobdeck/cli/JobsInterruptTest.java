package dev.jobdeck.cli;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.testsupport.ChildJvm;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.FailedJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ctrl+C (SIGINT) on {@code jobdeck jobs retry} in a real JVM: it stops between chunks and says what it left. */
@ChildProcesses
class JobsInterruptTest {

    private static final int JOBS = 20_000;
    private static final Pattern SUMMARY = Pattern.compile(
            "([\\d,]+) jobs requeued of ([\\d,]+) matching; cancelled, ([\\d,]+) jobs left untouched");

    @TempDir
    Path temp;

    @Test
    void ctrlCStopsBetweenChunksAndReportsWhatWasDoneAndWhatWasLeft() throws Exception {
        Path data = temp.resolve("data");
        try (ConsoleServices console = Consoles.open(data)) {
            FailedJobs.create(console, JOBS, "example.org");
        }
        Path log = temp.resolve("retry.log");
        Process retry = ChildJvm.start(log, "jobs", "retry", "--state", "failed", "--yes", "--data-dir", data.toString());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(" / 20,000 ("));

        new ProcessBuilder("kill", "-INT", Long.toString(retry.pid())).start().waitFor();

        assertThat(retry.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
        String said = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(retry.exitValue()).as(said).isEqualTo(JobsCommand.INTERRUPTED);
        Matcher summary = SUMMARY.matcher(said);
        assertThat(summary.find()).as(said).isTrue();
        long requeued = number(summary.group(1));
        long left = number(summary.group(3));
        assertThat(number(summary.group(2))).isEqualTo(JOBS);
        assertThat(left).as("stopped before the end").isPositive();
        assertThat(requeued + left).isEqualTo(JOBS);
        assertThat(said).doesNotContain("Exception");
        try (ConsoleServices console = Consoles.open(data)) {
            JobCounts counts = console.parts().queries().counts();
            assertThat(counts.of(JobState.ENQUEUED)).isEqualTo(requeued);
            assertThat(counts.of(JobState.FAILED)).as("the rest is untouched").isEqualTo(left);
        }
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
