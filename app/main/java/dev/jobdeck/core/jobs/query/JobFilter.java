package dev.jobdeck.core.jobs.query;

import java.time.Instant;
import java.util.Optional;

/**
 * Which jobs the operator means: the Jobs screen's state tab, search box and time range, and the same
 * options of {@code jobdeck jobs list|retry|delete}. One record so that a page, a count and an action on
 * "everything that matches" always agree on what matches.
 *
 * @param state  one job state, or every state when empty
 * @param search text typed by the operator (blank for all): matched against recipient, subject, job id and error text
 * @param since  jobs last updated at or after this instant, when present
 * @param until  jobs last updated before this instant, when present
 */
public record JobFilter(Optional<JobState> state, String search, Optional<Instant> since, Optional<Instant> until) {

    /** The longest search text accepted; longer input is refused where it was typed. */
    public static final int MAX_SEARCH_LENGTH = 320;

    public static final JobFilter ALL = new JobFilter(Optional.empty(), "", Optional.empty(), Optional.empty());

    public JobFilter {
        state = state == null ? Optional.empty() : state;
        search = search == null ? "" : search.strip();
        since = since == null ? Optional.empty() : since;
        until = until == null ? Optional.empty() : until;
        if (search.length() > MAX_SEARCH_LENGTH) {
            throw new IllegalArgumentException("Search text is longer than " + MAX_SEARCH_LENGTH + " characters.");
        }
        if (since.isPresent() && until.isPresent() && !until.get().isAfter(since.get())) {
            throw new IllegalArgumentException("The time range ends before it starts: " + until.get()
                    + " is not after " + since.get() + ".");
        }
    }

    public static JobFilter inState(JobState state) {
        return ALL.withState(Optional.of(state));
    }

    public JobFilter withState(Optional<JobState> newState) {
        return new JobFilter(newState, search, since, until);
    }

    public JobFilter withSearch(String newSearch) {
        return new JobFilter(state, newSearch, since, until);
    }

    public JobFilter withRange(Optional<Instant> newSince, Optional<Instant> newUntil) {
        return new JobFilter(state, search, newSince, newUntil);
    }

    public boolean hasSearch() {
        return !search.isEmpty();
    }
}
