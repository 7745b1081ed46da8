package dev.jobdeck.core.jobs.query;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobFilterTest {

    @Test
    void aRangeThatEndsBeforeItStartsIsRefusedWithBothEnds() {
        Instant since = Instant.parse("2026-12-07T10:00:00Z");
        assertThatThrownBy(() -> JobFilter.ALL.withRange(Optional.of(since), Optional.of(since.minusSeconds(60))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends before it starts").hasMessageContaining("2026-12-07T09:59:00Z");
    }

    @Test
    void searchTextIsTrimmedAndNullMeansAll() {
        JobFilter filter = new JobFilter(null, "  bob@example.org ", null, null);
        assertThat(filter.search()).isEqualTo("bob@example.org");
        assertThat(filter.state()).isEmpty();
        assertThat(new JobFilter(null, null, null, null)).isEqualTo(JobFilter.ALL);
        assertThat(JobFilter.inState(JobState.FAILED).withSearch("x").hasSearch()).isTrue();
    }

    @Test
    void overlongSearchIsRefused() {
        assertThatThrownBy(() -> JobFilter.ALL.withSearch("a".repeat(JobFilter.MAX_SEARCH_LENGTH + 1)))
                .hasMessageContaining("longer than 320");
    }
}
