package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.query.JobSearch;
import dev.jobdeck.core.jobs.query.PageKey;
import dev.jobdeck.core.jobs.query.PageRequest;
import java.util.List;
import java.util.Optional;

/**
 * One page of the jobs table, read by key, and how many jobs match in all.
 *
 * @param total        jobs that match; at most {@link JobSearch#COUNT_LIMIT} + 1 when {@code totalCapped}
 * @param totalCapped  the count stopped early: "more than {@link JobSearch#COUNT_LIMIT}"
 * @param hasPrevious  rows come before this page
 * @param hasNext      rows come after this page
 * @param keysBuilding empty when every job's sort keys and words are there; else the share of jobs done, in percent,
 *                     while the store's one-time build runs (decision 30): the page then follows the Updated order
 *                     when a shown column's was asked ({@code request} says which it follows), and a word search
 *                     finds only the jobs done so far by their words
 */
public record JobPage(List<JobRow> rows, PageRequest request, long total, boolean totalCapped, boolean hasPrevious,
                      boolean hasNext, Optional<Integer> keysBuilding) {

    public JobPage {
        rows = List.copyOf(rows);
    }

    public JobPage(List<JobRow> rows, PageRequest request, long total, boolean totalCapped, boolean hasPrevious,
                   boolean hasNext) {
        this(rows, request, total, totalCapped, hasPrevious, hasNext, Optional.empty());
    }

    /** The page follows another order than the one asked: a shown column's, while its keys are being built. */
    public boolean sortedOtherwise(PageRequest asked) {
        return request.sort() != asked.sort();
    }

    public Optional<PageKey> firstKey() {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).pageKey());
    }

    public Optional<PageKey> lastKey() {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(rows.size() - 1).pageKey());
    }
}
