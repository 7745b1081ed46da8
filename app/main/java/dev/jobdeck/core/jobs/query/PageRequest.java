package dev.jobdeck.core.jobs.query;

import java.util.Optional;

/**
 * Which page of the jobs table to read, by key rather than by offset, so every page costs what the first does.
 *
 * @param sort       the order
 * @param descending newest (or last state) first
 * @param key        the row the page starts after (forwards) or ends before (backwards); empty for the first or last page
 * @param backwards  read towards the start: the previous page, or with no key the last page
 * @param limit      rows per page
 */
public record PageRequest(JobSort sort, boolean descending, Optional<PageKey> key, boolean backwards, int limit) {

    public PageRequest {
        if (limit < 1) {
            throw new IllegalArgumentException("A page has at least one row.");
        }
        key = key == null ? Optional.empty() : key;
    }

    public static PageRequest first(JobSort sort, boolean descending, int limit) {
        return new PageRequest(sort, descending, Optional.empty(), false, limit);
    }

    /** The most recently updated jobs first: the table's default. */
    public static PageRequest first(int limit) {
        return first(JobSort.UPDATED, true, limit);
    }

    public PageRequest last() {
        return new PageRequest(sort, descending, Optional.empty(), true, limit);
    }

    public PageRequest after(PageKey lastRow) {
        return new PageRequest(sort, descending, Optional.of(lastRow), false, limit);
    }

    public PageRequest before(PageKey firstRow) {
        return new PageRequest(sort, descending, Optional.of(firstRow), true, limit);
    }

    /** The last page, read from its end: reading it again stays at the end. */
    public boolean isLast() {
        return key.isEmpty() && backwards;
    }
}
