package dev.jobdeck.core;

import dev.jobdeck.core.ConsoleServices.Role;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.RetentionPass;
import dev.jobdeck.core.jobs.SurvivalReports;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.DirectoryCheck;
import dev.jobdeck.core.store.StoreCompaction;
import dev.jobdeck.core.store.StoreHealth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The background chores a process runs on a schedule (retention, kept counts, store housekeeping and compaction, the
 * job counters' fold), each on a named daemon thread. Chores given the same thread never run beside each other: the
 * store is compacted on the retention pass's thread, so never beside a purge. Closing stops every thread.
 */
final class Chores implements AutoCloseable {

    /** One chore's work; a failure is logged and the chore runs again at its next time. */
    @FunctionalInterface
    interface Chore {
        void run() throws Exception;
    }

    private static final System.Logger LOG = System.getLogger(Chores.class.getName());

    private final Map<String, ScheduledExecutorService> threads = new LinkedHashMap<>();

    /** How often the owner keeps the survival report's counts of the open e-mails up to date (decision 32). */
    private static final Duration KEEP_LEDGER_EVERY = Duration.ofSeconds(2);
    /** How often the owner rewrites H2's mostly-garbage chunks, as H2's own writer thread would (decision 33). */
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofMillis(500);
    /** How often the owner compacts the store's file (decision 26). */
    private static final Duration COMPACT_EVERY = Duration.ofHours(6);
    /** How often the console folds the job counters' changes when no screen counts (decision 25). */
    private static final Duration COUNTER_FOLD = Duration.ofSeconds(5);

    /**
     * The owner runs the retention pass every {@code retentionEvery} (a minute; ConsoleServices.Options) and compacts the store every
     * {@link #COMPACT_EVERY}, on one thread: compaction never runs beside a purge, and never while the store is sick
     * (a full disk is what compaction must not meet). Scripts and screens read the ledger of a million jobs from kept
     * counts plus the batches written since (decision 32), on a thread of its own: a retention pass over a million
     * jobs runs for minutes, and marks pile up meanwhile. H2's own housekeeping is off with WRITE_DELAY=0 (decision
     * 33): its own thread too. On a shared store every console keeps the counts and runs the retention pass, each
     * one at a time across machines (SurvivalReports, RetentionPass); housekeeping and compaction are PostgreSQL's.
     * The console folds the job counters' changes every few seconds (decision 25), so a store no screen reads
     * ({@code serve}, a console minimised for a week of deliveries) keeps its changes to a few thousand rows.
     */
    static Chores schedule(Role role, boolean ownsStore, boolean shared, Duration retentionEvery, RetentionPass retentionPass,
                           SurvivalReports reports, Database database, JobQueries queries,
                           Supplier<StoreHealth> storeHealth) {
        Chores chores = new Chores();
        boolean owner = role != Role.SCRIPT && ownsStore;
        if (owner || (shared && role == Role.CONSOLE)) {
            chores.every("jobdeck-retention", retentionEvery, retentionEvery, retentionPass::run,
                    System.Logger.Level.WARNING, "The retention pass failed; it runs again in "
                            + retentionEvery.toSeconds() + " s: ");
            chores.every("jobdeck-ledger-counts", KEEP_LEDGER_EVERY.dividedBy(5), KEEP_LEDGER_EVERY, reports::keepCounts,
                    System.Logger.Level.WARNING, "Cannot keep the survival report's counts now; tried again in "
                            + KEEP_LEDGER_EVERY.toSeconds() + " s: ");
        }
        if (owner) {
            StoreCompaction housekeeper = new StoreCompaction(database, DirectoryCheck.configuredReserve());
            chores.every("jobdeck-store-housekeeping", HOUSEKEEPING_EVERY, HOUSEKEEPING_EVERY, housekeeper::housekeep,
                    System.Logger.Level.DEBUG, "Store housekeeping skipped: ");
            chores.every("jobdeck-retention", COMPACT_EVERY, COMPACT_EVERY, () -> {
                if (!storeHealth.get().isWell()) {
                    LOG.log(System.Logger.Level.INFO, "Store compaction skipped: the store is not well");
                    return;
                }
                StoreCompaction.compactNow(database);
            }, System.Logger.Level.WARNING, "Compacting the store failed; it is tried again in "
                    + COMPACT_EVERY.toHours() + " h: ");
        }
        if (role == Role.CONSOLE) {
            chores.every("jobdeck-job-counters", COUNTER_FOLD, COUNTER_FOLD, queries::counts,
                    System.Logger.Level.DEBUG, "Cannot fold the job counters now: ");
        }
        return chores;
    }

    /**
     * Runs {@code chore} on the thread {@code thread} first after {@code first}, then {@code every} after each run ends;
     * a failure is logged at {@code level} as {@code failure}, followed by its message.
     */
    synchronized void every(String thread, Duration first, Duration every, Chore chore, System.Logger.Level level,
                            String failure) {
        threads.computeIfAbsent(thread, name -> Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread daemon = new Thread(runnable, name);
            daemon.setDaemon(true);
            return daemon;
        })).scheduleWithFixedDelay(() -> {
            try {
                chore.run();
            } catch (Exception e) {
                LOG.log(level, failure + e.getMessage());
            }
        }, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every thread, in the reverse order of their first chores, each waiting for its running chore. */
    @Override
    public synchronized void close() throws InterruptedException {
        ScheduledExecutorService[] all = threads.values().toArray(ScheduledExecutorService[]::new);
        for (int i = all.length - 1; i >= 0; i--) {
            all[i].shutdownNow();
            all[i].awaitTermination(10, TimeUnit.SECONDS);
        }
        threads.clear();
    }
}
