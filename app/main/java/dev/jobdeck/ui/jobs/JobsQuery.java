package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.PageRequest;

import java.util.UUID;

/**
 * What the Jobs screen's next read asks for; immutable so the refresh thread can read it without locking.
 * {@code position} is the page's first row counted from 1, for the pager's "51–100"; -1 when not known (the last page
 * of a count that stopped early).
 */
record JobsQuery(JobFilter filter, PageRequest page, long position, UUID detailId, boolean withRecurring) {

    JobsQuery withPage(PageRequest newPage, long newPosition) {
        return new JobsQuery(filter, newPage, newPosition, detailId, withRecurring);
    }

    JobsQuery withFilter(JobFilter newFilter) {
        return new JobsQuery(newFilter, PageRequest.first(page.sort(), page.descending(), page.limit()), 1, detailId,
                withRecurring);
    }

    JobsQuery withDetail(UUID newDetail) {
        return new JobsQuery(filter, page, position, newDetail, withRecurring);
    }

    JobsQuery withRecurring(boolean shown) {
        return new JobsQuery(filter, page, position, detailId, shown);
    }

    /**
     * The query the live read follows, shared by the parts of the screen that change it (filter bar, table, detail).
     * The refresh thread reads it; the JavaFX thread replaces it.
     */
    static final class Current {

        private volatile JobsQuery query;
        private final Runnable refresh;

        Current(JobsQuery initial, Runnable refresh) {
            this.query = initial;
            this.refresh = refresh;
        }

        JobsQuery get() {
            return query;
        }

        /** Replaces the query without reading: what is shown already answers it. */
        void set(JobsQuery newQuery) {
            query = newQuery;
        }

        /** Replaces the query and reads at once, without waiting for the next live tick. */
        void change(JobsQuery newQuery) {
            query = newQuery;
            refresh.run();
        }
    }
}
