package dev.jobdeck.core.jobs.query;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the Jobs screen and {@code jobdeck jobs} read about a search: how a search box's text is taken and where a
 * count stops. Neither is JobRunr's: JobRunr's tables are behind the door in {@code dev.jobdeck.core.jobs.jobrunr}
 * (decision 42), which reads this package's query values and never the rest of {@code core.jobs} (decision 50).
 */
public final class JobSearch {

    /** A filtered count stops here: the pager says "more than" rather than counting a million matches. */
    public static final int COUNT_LIMIT = 10_000;

    private static final Pattern JOB_ID_PREFIX = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{0,12}){0,4}");

    /** What a search box's text is taken to be. */
    public enum SearchKind {
        /** Eight or more hex digits, with dashes where a UUID has them: a job id or its start. */
        JOB_ID,
        /** Starts with {@code @}: recipients at that domain (or a domain starting so). */
        DOMAIN,
        /** Contains {@code @}: an address, or its start. */
        ADDRESS,
        /**
         * Anything else: the start of an address, or words: each one starts a word of the subject, of an error reply
         * the job got, or of its failure message (decision 30).
         */
        TEXT;

        public static SearchKind of(String search) {
            String text = search.strip().toLowerCase(Locale.ROOT);
            if (text.startsWith("@")) {
                return DOMAIN;
            }
            if (text.contains("@")) {
                return ADDRESS;
            }
            return JOB_ID_PREFIX.matcher(text).matches() && text.length() <= 36 ? JOB_ID : TEXT;
        }
    }

    private JobSearch() {
    }
}
