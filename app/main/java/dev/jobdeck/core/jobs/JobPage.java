package dev.jobdeck.core.jobs;

import java.util.List;

/** One page of the jobs table and the total number of rows that match, for the pager. */
public record JobPage(List<JobRow> rows, long total, int offset, int limit) {

    public int pageCount() {
        return (int) Math.max(1, (total + limit - 1) / limit);
    }

    public int pageIndex() {
        return offset / limit;
    }
}
