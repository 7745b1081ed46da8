package dev.jobdeck.cli;

import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.store.Incident;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jobdeck report}'s line per incident says what became of the host's work (issue 19). */
class ReportIncidentLineTest {

    private static final Instant AT = Instant.parse("2026-12-08T02:00:00Z");

    @Test
    void anIncidentWithNoJobsInFlightSaysSoInsteadOfNotAllFinishedYet() {
        SurvivalReport.IncidentReport memoryCrash = incident(List.of(), null, 92);

        assertThat(ReportCommand.fateOf(memoryCrash)).isEqualTo("no JobRunr jobs in flight");
    }

    @Test
    void jobsInFlightSayWhetherAndWhenTheyAllFinished() {
        SurvivalReport.JobFate fate = new SurvivalReport.JobFate(UUID.randomUUID(), UUID.randomUUID(), "a@example.org",
                AT, AT.plusSeconds(1), "console-2", "SUCCEEDED", AT.plusSeconds(2));

        assertThat(ReportCommand.fateOf(incident(List.of(fate), Duration.ofMillis(2500), 0)))
                .isEqualTo("1 in flight, all finished 2.5 s later");
        assertThat(ReportCommand.fateOf(incident(List.of(fate, fate), null, 0)))
                .isEqualTo("2 in flight, not all finished yet");
    }

    private static SurvivalReport.IncidentReport incident(List<SurvivalReport.JobFate> jobs, Duration allDone, long lost) {
        return new SurvivalReport.IncidentReport(UUID.randomUUID(), "memory-1", Incident.Action.CRASH, AT, AT, 0, null,
                null, jobs, allDone, lost);
    }
}
