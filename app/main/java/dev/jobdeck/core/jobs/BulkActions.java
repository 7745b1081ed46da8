package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobStates;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.query.JobState;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.IllegalJobStateChangeException;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;

import java.sql.SQLException;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Requeues or deletes every job a {@link JobFilter} matches, not only a page (decision 27). {@link #plan} counts them
 * first, for the confirmation; {@link #run} then walks their ids in keyset chunks of {@link #CHUNK}, each acted on
 * through JobRunr's {@link StorageProvider} (as {@link JobCommands} does for one job) and saved in one short
 * transaction, so hosts keep fetching and finishing jobs meanwhile. Between two chunks it reports progress and looks
 * whether it was cancelled. It acts only on what matched when it counted: a job updated after that changed meanwhile,
 * and is left alone.
 */
public final class BulkActions {

    private static final System.Logger LOG = System.getLogger(BulkActions.class.getName());

    /** Jobs per transaction: long enough to be quick in all, short enough that hosts never wait on one for long. */
    public static final int CHUNK = 500;
    /** How many error messages a summary keeps (the count is always whole). */
    static final int ERRORS_KEPT = 5;

    static final String ALREADY_DELIVERED = "already delivered: nothing to send again";
    static final String CHANGED = "changed since it was counted";
    static final String GONE = "no longer exists";
    static final String ALREADY_DELETED = "already deleted";

    /** The states a bulk retry puts back in the queue; a succeeded job has nothing left to send. */
    public static final Set<JobState> RETRYABLE = EnumSet.of(JobState.FAILED, JobState.DELETED);

    public enum Action {
        RETRY("Retry", "requeued", "Requeue"),
        DELETE("Delete", "deleted", "Delete");

        private final String title;
        private final String done;
        private final String verb;

        Action(String title, String done, String verb) {
            this.title = title;
            this.done = done;
            this.verb = verb;
        }

        /** "Retry", "Delete": a button's or a menu item's text. */
        public String title() {
            return title;
        }

        /** "requeued", "deleted". */
        public String done() {
            return done;
        }

        /** "Requeue", "Delete": a confirmation's question starts with it. */
        public String verb() {
            return verb;
        }
    }

    /**
     * What the operator confirms: {@code count} jobs match {@code filter} at {@code countedAt}. The run acts on those
     * (jobs last updated before {@code countedAt}), not on jobs that begin to match later.
     */
    public record Plan(Action action, JobFilter filter, long count, Instant countedAt) {

        /** "Requeue 1,204 jobs?": the confirmation's question. */
        public String question() {
            return action.verb() + " " + jobs(count) + "?";
        }
    }

    /** After each chunk: {@code done} of {@code total} matching jobs were looked at. */
    public record Progress(long done, long total, long actedOn, long skipped, long errors) {

        public double fraction() {
            return total == 0 ? 1 : Math.min(1, (double) done / total);
        }

        /** "12,500 / 100,000". */
        public String text() {
            return format(done) + " / " + format(total);
        }
    }

    /**
     * How a run ended: {@code actedOn}, {@code skipped} (with why, most frequent reason first), {@code left} untouched
     * after a cancel or a failure, and {@code errors}; these add up to {@code matched} (or to more, when jobs updated
     * during the count were still walked).
     */
    public record Summary(Action action, long matched, long actedOn, Map<String, Long> skipped, long left, long errors,
                          List<String> errorMessages, boolean cancelled, Optional<String> stoppedBy, Duration took) {

        public Summary {
            skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
            errorMessages = List.copyOf(errorMessages);
        }

        public long skippedTotal() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Whether every matching job was acted on (or had nothing to do), nothing left and no error. */
        public boolean complete() {
            return !cancelled && stoppedBy.isEmpty() && left == 0 && errors == 0;
        }

        /** One paragraph for the operator: what was done, skipped and why, what was left. */
        public String text() {
            StringBuilder text = new StringBuilder();
            String acted = jobs(actedOn) + " " + action.done();
            text.append(Character.toUpperCase(acted.charAt(0))).append(acted.substring(1))
                    .append(" of ").append(format(matched)).append(" matching");
            if (!skipped.isEmpty()) {
                List<String> reasons = new ArrayList<>();
                skipped.forEach((reason, count) -> reasons.add(format(count) + " " + reason));
                text.append("; skipped ").append(format(skippedTotal())).append(" (").append(String.join(", ", reasons))
                        .append(")");
            }
            if (errors > 0) {
                text.append("; ").append(format(errors)).append(errors == 1 ? " error" : " errors");
                if (!errorMessages.isEmpty()) {
                    text.append(" (").append(String.join("; ", errorMessages)).append(")");
                }
            }
            if (cancelled) {
                text.append("; cancelled, ").append(jobs(left)).append(" left untouched");
            } else if (stoppedBy.isPresent()) {
                text.append("; stopped: ").append(stoppedBy.get()).append("; ").append(jobs(left)).append(" left untouched");
            } else if (left > 0) {
                text.append("; ").append(jobs(left)).append(" left untouched");
            }
            text.append(". Took ").append(seconds(took)).append('.');
            return text.toString();
        }
    }

    private final JobQueries queries;
    private final StorageProvider storage;
    private final Runnable jobsDue;
    private final Clock clock;
    private final int chunk;

    /** @param jobsDue told after each chunk of requeued jobs, so hosts start them at once (see {@link JobCommands}) */
    public BulkActions(JobQueries queries, StorageProvider storage, Runnable jobsDue, Clock clock) {
        this(queries, storage, jobsDue, clock, CHUNK);
    }

    BulkActions(JobQueries queries, StorageProvider storage, Runnable jobsDue, Clock clock, int chunk) {
        this.queries = queries;
        this.storage = storage;
        this.jobsDue = jobsDue;
        this.clock = clock;
        this.chunk = chunk;
    }

    /** Counts what {@code filter} matches now: the number the confirmation states. Blocks on the store. */
    public Plan plan(Action action, JobFilter filter) throws SQLException {
        Instant countedAt = clock.instant();
        Optional<JobFilter> counted = asCounted(filter, countedAt);
        long count = counted.isEmpty() ? 0 : queries.count(counted.get());
        return new Plan(action, filter, count, countedAt);
    }

    /**
     * The filter narrowed to jobs last updated before {@code countedAt}; empty when it then matches nothing (a range
     * that starts later).
     */
    private static Optional<JobFilter> asCounted(JobFilter filter, Instant countedAt) {
        Instant until = filter.until().filter(end -> end.isBefore(countedAt)).orElse(countedAt);
        if (filter.since().isPresent() && !until.isAfter(filter.since().get())) {
            return Optional.empty();
        }
        return Optional.of(filter.withRange(filter.since(), Optional.of(until)));
    }

    /**
     * Acts on the jobs {@code plan} counted, chunk by chunk, on the calling thread. {@code progress} hears of each chunk
     * on this thread; {@code cancelled} is asked between chunks (a thread interrupt cancels too). Never throws for a
     * job or a store failure: the summary says what was done, skipped and left, and what stopped it.
     */
    public Summary run(Plan plan, Consumer<Progress> progress, BooleanSupplier cancelled) {
        long started = System.nanoTime();
        BulkTally tally = new BulkTally(plan);
        Optional<JobFilter> counted = asCounted(plan.filter(), plan.countedAt());
        Optional<UUID> after = Optional.empty();
        boolean wasCancelled = false;
        String stoppedBy = null;
        while (counted.isPresent()) {
            if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                wasCancelled = true;
                break;
            }
            List<UUID> ids;
            try {
                ids = queries.matchingIds(counted.get(), after, chunk);
                if (ids.isEmpty()) {
                    break;
                }
                actOn(plan.action(), ids, tally);
            } catch (SQLException | RuntimeException e) {
                stoppedBy = "the store failed: " + firstLine(e);
                LOG.log(System.Logger.Level.WARNING, "A bulk " + plan.action().title().toLowerCase()
                        + " stopped after " + tally.done + " of " + plan.count() + " jobs", e);
                break;
            }
            after = Optional.of(ids.get(ids.size() - 1));
            progress.accept(tally.progress());
            if (ids.size() < chunk) {
                break;
            }
        }
        boolean walkedAll = !wasCancelled && stoppedBy == null;
        long notVisited = Math.max(0, plan.count() - tally.done);
        if (walkedAll && notVisited > 0) {
            // Counted, but updated before the walk reached them (e.g. a host finished or failed them again).
            tally.skip(CHANGED, notVisited);
        }
        Summary summary = new Summary(plan.action(), Math.max(plan.count(), tally.done), tally.actedOn, tally.sortedReasons(),
                walkedAll ? 0 : notVisited, tally.errors, tally.errorMessages, wasCancelled, Optional.ofNullable(stoppedBy),
                Duration.ofNanos(System.nanoTime() - started));
        LOG.log(System.Logger.Level.INFO, "Bulk " + plan.action().title().toLowerCase() + ": " + summary.text());
        return summary;
    }

    /** One chunk: reads its jobs, changes those the action applies to, and saves them in one transaction. */
    private void actOn(Action action, List<UUID> ids, BulkTally tally) {
        List<Job> changed = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            tally.done++;
            decide(action, id, changed, tally);
        }
        List<Job> conflicts = save(changed, tally);
        if (!conflicts.isEmpty()) {
            // A host updated them between our read and our write (a heartbeat, a retry coming due): look once more.
            List<Job> again = new ArrayList<>();
            for (Job job : conflicts) {
                decide(action, job.getId(), again, tally);
            }
            for (Job job : save(again, tally)) {
                tally.skip("changed while it was being " + action.done(), 1);
            }
        }
        if (action == Action.RETRY && tally.actedOnInChunk > 0) {
            jobsDue.run();
        }
        tally.actedOnInChunk = 0;
    }

    private void decide(Action action, UUID id, List<Job> changed, BulkTally tally) {
        Job job;
        try {
            job = storage.getJobById(id);
        } catch (JobNotFoundException e) {
            tally.skip(GONE, 1);
            return;
        }
        JobState state = JobStates.of(job.getState());
        Optional<String> skip = action == Action.RETRY ? whyNotRetried(state) : whyNotDeleted(state);
        if (skip.isPresent()) {
            tally.skip(skip.get(), 1);
            return;
        }
        try {
            if (action == Action.RETRY) {
                job.enqueue();
            } else {
                job.delete("Deleted by the operator (all matching)");
            }
            changed.add(job);
        } catch (IllegalJobStateChangeException e) {
            tally.error(id + ": " + e.getMessage());
        }
    }

    /** Saves {@code jobs} in one transaction; returns those another process changed first (they were not saved). */
    private List<Job> save(List<Job> jobs, BulkTally tally) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        try {
            storage.save(jobs);
            tally.acted(jobs.size());
            return List.of();
        } catch (ConcurrentJobModificationException e) {
            Set<UUID> conflicted = new HashSet<>();
            e.getConcurrentUpdatedJobs().forEach(job -> conflicted.add(job.getId()));
            // JobRunr commits the others (see DefaultSqlStorageProvider#save).
            tally.acted(jobs.size() - conflicted.size());
            return jobs.stream().filter(job -> conflicted.contains(job.getId())).toList();
        }
    }

    static Optional<String> whyNotRetried(JobState state) {
        return switch (state) {
            case FAILED, DELETED -> Optional.empty();
            case SUCCEEDED -> Optional.of(ALREADY_DELIVERED);
            case ENQUEUED -> Optional.of("already in the queue");
            case PROCESSING -> Optional.of("being delivered now");
            case SCHEDULED -> Optional.of("scheduled: it runs at its time");
            case AWAITING -> Optional.of("awaiting another job");
        };
    }

    static Optional<String> whyNotDeleted(JobState state) {
        return state == JobState.DELETED ? Optional.of(ALREADY_DELETED) : Optional.empty();
    }

    /**
     * What {@code filter} matches, in words: "failed jobs matching "bob", updated since 2026-12-07 09:00" (times in
     * {@code zone}). What a confirmation and a summary say the action applies to.
     */
    public static String describe(JobFilter filter, ZoneId zone) {
        StringBuilder text = new StringBuilder(filter.state().map(state -> JobQueries.title(state).toLowerCase(Locale.ROOT)
                + " jobs").orElse("jobs in any state"));
        if (filter.hasSearch()) {
            text.append(" matching \"").append(filter.search()).append('"');
        }
        DateTimeFormatter time = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(zone);
        if (filter.since().isPresent() && filter.until().isPresent()) {
            text.append(filter.hasSearch() ? "," : "").append(" updated from ").append(time.format(filter.since().get()))
                    .append(" to ").append(time.format(filter.until().get()));
        } else if (filter.since().isPresent()) {
            text.append(filter.hasSearch() ? "," : "").append(" updated since ").append(time.format(filter.since().get()));
        } else if (filter.until().isPresent()) {
            text.append(filter.hasSearch() ? "," : "").append(" updated before ").append(time.format(filter.until().get()));
        }
        return text.toString();
    }

    /** "1 job", "1,204 jobs". */
    public static String jobs(long count) {
        return format(count) + (count == 1 ? " job" : " jobs");
    }

    /** "1,204". */
    public static String format(long number) {
        return NumberFormat.getIntegerInstance(Locale.ROOT).format(number);
    }

    private static String seconds(Duration took) {
        long millis = took.toMillis();
        return millis < 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : (millis / 1000) + " s";
    }

    private static String firstLine(Exception e) {
        Throwable shown = e;
        while (shown.getCause() != null && (shown.getMessage() == null || shown.getMessage().contains("Exception"))) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
