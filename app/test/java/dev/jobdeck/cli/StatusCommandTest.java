package dev.jobdeck.cli;

import dev.jobdeck.core.jobs.query.JobState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.testsupport.CapturedTerminal;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusCommandTest {

    @TempDir
    Path temp;

    @RegisterExtension
    final CapturedTerminal terminal = new CapturedTerminal();
    private final ByteArrayOutputStream out = terminal.out;
    private final ByteArrayOutputStream err = terminal.err;

    @Test
    void jsonCountsAgreeWithTheDashboardCounts() throws Exception {
        JobCounts dashboard;
        try (ConsoleServices services = Consoles.open(temp)) {
            var jobs = services.parts().queue().queue(Consoles.email("a@example.org, b@example.org, c@example.org")).jobIds();
            services.parts().commands().delete(List.of(jobs.get(0)));
            dashboard = services.parts().queries().counts();
        }
        int exit = Main.run("status", "--json", "--data-dir", temp.toString());

        assertThat(exit).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.get("counts").get("enqueued").asLong()).isEqualTo(dashboard.of(JobState.ENQUEUED)).isEqualTo(2);
        assertThat(json.get("counts").get("deleted").asLong()).isEqualTo(1);
        assertThat(json.get("total").asLong()).isEqualTo(dashboard.total());
    }

    @Test
    void anOpenThatTakesLongerThanItsPatienceSaysWhyTheCommandWaits() throws Exception {
        try (ConsoleServices services = Consoles.open(temp)) {
            services.parts().queue().queue(Consoles.email("a@example.org"));
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        java.io.PrintStream terminal = new java.io.PrintStream(said, true, StandardCharsets.UTF_8);

        ScriptStore.Opened quick = ScriptStore.open("status", new DataDirectory(temp), false, terminal);
        quick.services().close();
        assertThat(said.toString(StandardCharsets.UTF_8)).as("a small store opens well within its 3 s").isEmpty();

        ScriptStore.Opened slow = ScriptStore.open("status", new DataDirectory(temp), false, terminal,
                java.time.Duration.ZERO);
        slow.services().close();
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("jobdeck status: still opening the store in")
                .contains("builds its new indexes once").contains(temp.resolve("logs").toString());
    }

    @Test
    void missingDataDirectoryExitsNonZeroWithAClearMessage() {
        int exit = Main.run("status", "--json", "--data-dir", temp.resolve("nothing-here").toString());
        assertThat(exit).isEqualTo(StatusCommand.NO_DATA);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no JobDeck data in").doesNotContain("Exception");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void whileTheConsoleRunsStatusReadsThroughTheStoreItServes() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            console.parts().queue().queue(Consoles.email("one@example.org, two@example.org"));
            int exit = Main.run("status", "--json", "--data-dir", temp.toString());
            assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
            JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertThat(json.get("total").asLong()).isEqualTo(2);
            assertThat(json.get("ledger").get("accepted").asLong()).isEqualTo(2);
            assertThat(json.get("ledger").get("lost").asLong()).isZero();
        }
    }

    @Test
    void lockedByAProcessThatDoesNotShareTheStoreExitsNonZeroWithAClearMessage() throws Exception {
        try (ConsoleServices script = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly())) {
            int exit = Main.run("status", "--json", "--data-dir", temp.toString());
            assertThat(exit).isEqualTo(StatusCommand.LOCKED);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains(temp.toString()).contains("already open")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertThat(Main.run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("JobDeck 0.1.0");
    }
}
