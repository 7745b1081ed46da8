package dev.jobdeck.core.jobs;

import java.util.List;
import java.util.Optional;

/**
 * One page of the jobs table, read by key, and how many jobs match in all.
 *
 * @param total        jobs that match; at most {@link JobRunrTables#COUNT_LIMIT} + 1 when {@code totalCapped}
 * @param totalCapped  the count stopped early: "more than {@link JobRunrTables#COUNT_LIMIT}"
 * @param hasPrevious  rows come before this page
 * @param hasNext      rows come after this page
 */
public record JobPage(List<JobRow> rows, PageRequest request, long total, boolean totalCapped, boolean hasPrevious,
                      boolean hasNext) {

    public JobPage {
        rows = List.copyOf(rows);
    }

    public Optional<PageKey> firstKey() {
        return rows.isEmpty() ? Optional.empty() : Optional.of(PageKey.of(rows.get(0)));
    }

    public Optional<PageKey> lastKey() {
        return rows.isEmpty() ? Optional.empty() : Optional.of(PageKey.of(rows.get(rows.size() - 1)));
    }
}
