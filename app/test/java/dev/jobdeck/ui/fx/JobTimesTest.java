package dev.jobdeck.ui.fx;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class JobTimesTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void exactTimeIsLocalToTheSecond() {
        assertThat(JobTimes.exact(Instant.parse("2024-05-01T12:03:07.456Z"), ZoneOffset.ofHours(2)))
                .isEqualTo("2024-05-01 14:03:07");
        assertThat(JobTimes.compact(Instant.parse("2024-05-01T12:03:07.456Z"), ZoneOffset.ofHours(2)))
                .isEqualTo("05-01 14:03:07");
    }

    @ParameterizedTest
    @CsvSource({"2, just now", "30, 30 s ago", "180, 3 min ago", "7200, 2 h ago", "86400, 1 day ago",
            "259200, 3 days ago", "-600, in 10 min"})
    void relativeTimeIsRough(long secondsAgo, String expected) {
        assertThat(JobTimes.relative(NOW.minusSeconds(secondsAgo), NOW)).isEqualTo(expected);
    }
}
