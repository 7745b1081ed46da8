package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeInputTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneId.of("Europe/Brussels"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-12-07T09:30:00Z      | 2026-12-07T09:30:00Z",
            "2026-12-07T09:30:00+02:00 | 2026-12-07T07:30:00Z",
            "2026-12-07T09:30          | 2026-12-07T08:30:00Z",
            "2026-12-07 09:30          | 2026-12-07T08:30:00Z",
            "2026-12-07 09:30:15       | 2026-12-07T08:30:15Z",
            "2026-12-07                | 2026-12-06T23:00:00Z",
            "now                       | 2026-12-07T10:00:00Z",
            "90s                       | 2026-12-07T09:58:30Z",
            "30m                       | 2026-12-07T09:30:00Z",
            "2h                        | 2026-12-07T08:00:00Z",
            "2H ago                    | 2026-12-07T08:00:00Z",
            "3d                        | 2026-12-04T10:00:00Z",
            "1w                        | 2026-11-30T10:00:00Z"})
    void acceptsInstantsLocalTimesDatesAndAges(String typed, String expected) {
        assertThat(TimeInput.parse(typed, CLOCK)).contains(Instant.parse(expected));
    }

    @Test
    void blankIsNoBound() {
        assertThat(TimeInput.parse("  ", CLOCK)).isEmpty();
        assertThat(TimeInput.parse(null, CLOCK)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-13-01", "2h later", "-2h", "12:00"})
    void anythingElseIsRefusedInOneSentenceThatSaysWhatWorks(String typed) {
        assertThatThrownBy(() -> TimeInput.parse(typed, CLOCK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("\"" + typed + "\" is not a time: use a time such as")
                .hasMessageEndingWith("or an age such as 30m, 2h or 3d.");
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsRefusedAndNamesBothEnds() {
        assertThatThrownBy(() -> TimeInput.range(JobFilter.ALL, "1h", "2h", CLOCK))
                .hasMessage("The time range ends before it starts: until (2h) is not after since (1h).");
        assertThatThrownBy(() -> TimeInput.range(JobFilter.ALL, "soon", "", CLOCK)).hasMessageStartingWith("Since: \"soon\"");
    }

    @Test
    void aRangeKeepsTheRestOfTheFilter() {
        JobFilter filter = TimeInput.range(JobFilter.ALL.withSearch("bob"), "2h", "", CLOCK);
        assertThat(filter.search()).isEqualTo("bob");
        assertThat(filter.since()).contains(Instant.parse("2026-12-07T08:00:00Z"));
        assertThat(filter.until()).isEqualTo(Optional.empty());
    }
}
