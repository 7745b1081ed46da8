package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.JobSearch.SearchKind;
import dev.jobdeck.core.jobs.jobrunr.JobPageSql.Sql;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static dev.jobdeck.core.jobs.query.JobSearch.COUNT_LIMIT;
import static dev.jobdeck.core.jobs.jobrunr.JobRunrJobs.JOBS;

/**
 * The one place a {@link JobFilter} becomes SQL on JobRunr's jobs: its state and time range, and its search text
 * (a job id, an address, a domain or words, see {@link SearchKind}) read from the e-mails' and words' indexes.
 */
public final class JobSearchSql {
    /**
     * The conditions of {@code filter} on jobs aliased {@code j}, with their parameters appended. With
     * {@link #searchCondition} and {@link #candidates}, the one place a {@link JobFilter} becomes SQL.
     */
    public static String where(JobFilter filter, List<Object> parameters) {
        List<String> conditions = new ArrayList<>();
        filter.state().ifPresent(state -> {
            conditions.add("j.state = ?");
            parameters.add(state.name());
        });
        filter.since().ifPresent(since -> {
            conditions.add("j.updatedAt >= ?");
            parameters.add(Timestamp.from(since));
        });
        filter.until().ifPresent(until -> {
            conditions.add("j.updatedAt < ?");
            parameters.add(Timestamp.from(until));
        });
        if (filter.hasSearch()) {
            conditions.add(searchCondition(filter, parameters));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /**
     * For a search that matches many jobs: a condition on each job that H2 checks as it reads the jobs' index in the
     * page's order, by index lookups of the job's e-mails (a page costs about its rows divided by the share of jobs
     * that match).
     */
    public static String searchCondition(JobFilter filter, List<Object> parameters) {
        // Correlated EXISTS, not a join: with a join H2 may read all the matches and sort them (seconds at a million).
        String text = filter.search().toLowerCase(Locale.ROOT);
        List<String> columns = switch (SearchKind.of(filter.search())) {
            case JOB_ID -> List.of();
            case DOMAIN -> List.of("to_domain");
            case ADDRESS -> List.of("to_lc");
            case TEXT -> List.of("to_lc");
        };
        if (columns.isEmpty()) {
            parameters.add(text);
            parameters.add(text + "\uffff");
            return "j.id >= ? AND j.id < ?";
        }
        String prefix = SearchKind.of(filter.search()) == SearchKind.DOMAIN ? text.substring(1) : text;
        List<String> tests = new ArrayList<>();
        for (String column : columns) {
            for (String link : List.of("e.job_id = j.id", "e.bulk_job_id = j.id")) {
                tests.add("EXISTS (SELECT 1 FROM jd_email e WHERE " + link + " AND e." + column + " >= ? AND e." + column
                        + " < ?)");
                parameters.add(prefix);
                parameters.add(prefix + "\uffff");
            }
        }
        List<String> words = searchWords(filter);
        if (SearchKind.of(filter.search()) == SearchKind.TEXT && !words.isEmpty()) {
            // Every word starts a word of the job's (decision 30): lookups of the job's few words by its id.
            List<String> all = new ArrayList<>();
            for (String word : words) {
                all.add("EXISTS (SELECT 1 FROM jd_job_word w USE INDEX (jd_job_word_job_idx) WHERE w.job_id = j.id"
                        + " AND w.word >= ? AND w.word < ?)");
                parameters.add(word);
                parameters.add(word + "\uffff");
            }
            tests.add("(" + String.join(" AND ", all) + ")");
        }
        return "(" + String.join(" OR ", tests) + ")";
    }

    /** The search text's words as the word index keeps them (see {@link KeyText#words}), longest first. */
    public static List<String> searchWords(JobFilter filter) {
        return KeyText.words(filter.search()).stream()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * The ids of the jobs the search text matches, at most {@link #COUNT_LIMIT} + 1, read from the e-mails' indexes
     * alone (or the jobs' primary key for a job id). When there are no more than {@link #COUNT_LIMIT}, the page is
     * picked from these; else {@link #pageKeys} reads it with {@link #searchCondition}. (A query that joins a few
     * thousand ids and orders them leads H2 to read every job in order instead, hence the two steps.)
     */
    public static Sql candidates(JobFilter filter) {
        List<Object> parameters = new ArrayList<>();
        // UNION ALL: a UNION reads every match to drop duplicates before the FETCH stops it (seconds at a million).
        // Each branch has its own FETCH too: H2 does not stop a UNION ALL's branches at the outer one, so a domain
        // with 178,000 recipients of a million read every one of their rows twice (12 s) to keep 10,001 ids.
        String limit = " FETCH FIRST " + (COUNT_LIMIT + 1) + " ROWS ONLY";
        String ids = matchingJobIds(filter, parameters).stream().map(branch -> "(" + branch + limit + ")")
                .collect(Collectors.joining(" UNION ALL "));
        return new Sql("SELECT id FROM (" + ids + ") m" + limit, parameters);
    }

    /**
     * The search text as queries for job ids (column {@code id}), to be joined by a union. Its kind (see {@link
     * SearchKind}) decides which index range it reads: a job id prefix on the primary key, an address prefix on {@code
     * jd_email.to_lc}, a domain on {@code jd_email.to_domain}, words on {@code jd_job_word}. An e-mail finds its own job
     * and the bulk job it is part of.
     */
    private static List<String> matchingJobIds(JobFilter filter, List<Object> parameters) {
        String text = filter.search().toLowerCase(Locale.ROOT);
        switch (SearchKind.of(filter.search())) {
            case JOB_ID -> {
                parameters.add(text);
                parameters.add(text + "\uffff");
                return List.of("SELECT k.id FROM " + JOBS + " k WHERE k.id >= ? AND k.id < ?");
            }
            case DOMAIN -> {
                String domain = text.substring(1);
                addRange(parameters, domain, 2);
                return emailsToJobs("e.to_domain >= ? AND e.to_domain < ?");
            }
            case ADDRESS -> {
                addRange(parameters, text, 2);
                return emailsToJobs("e.to_lc >= ? AND e.to_lc < ?");
            }
            case TEXT -> {
                addRange(parameters, text, 2);
                List<String> addresses = emailsToJobs("e.to_lc >= ? AND e.to_lc < ?");
                List<String> words = searchWords(filter);
                if (words.isEmpty()) {
                    return addresses;
                }
                // The jobs with a word starting with the longest word, each checked for the others by its own words.
                StringBuilder byWords = new StringBuilder("SELECT w.job_id FROM jd_job_word w WHERE w.word >= ? AND w.word < ?");
                parameters.add(words.get(0));
                parameters.add(words.get(0) + "\uffff");
                for (String word : words.subList(1, words.size())) {
                    byWords.append(" AND EXISTS (SELECT 1 FROM jd_job_word x USE INDEX (jd_job_word_job_idx)"
                            + " WHERE x.job_id = w.job_id AND x.word >= ? AND x.word < ?)");
                    parameters.add(word);
                    parameters.add(word + "\uffff");
                }
                List<String> branches = new ArrayList<>(addresses);
                branches.add(byWords.toString());
                return branches;
            }
            default -> throw new IllegalStateException("unknown search kind");
        }
    }

    private static void addRange(List<Object> parameters, String prefix, int times) {
        for (int i = 0; i < times; i++) {
            parameters.add(prefix);
            parameters.add(prefix + "\uffff");
        }
    }

    /**
     * The jobs of the e-mails matching {@code condition} (two parameters), as the queries of a union: their own, and
     * the bulk job they are in.
     */
    private static List<String> emailsToJobs(String condition) {
        return List.of("SELECT e.job_id AS id FROM jd_email e WHERE " + condition,
                "SELECT e.bulk_job_id FROM jd_email e WHERE " + condition + " AND e.bulk_job_id IS NOT NULL");
    }

    public static String and(String where, String condition) {
        return where.isEmpty() ? " WHERE " + condition : where + " AND " + condition;
    }
}
