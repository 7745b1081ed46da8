package dev.jobdeck.cli;

import dev.jobdeck.core.ScriptServices;
import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.ReportJson;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreHealth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code jobdeck jobs retry|delete}: the bulk actions on every job that matches (decision 27), with confirmation. */
final class JobsActions {

    private JobsActions() {
    }

    /** {@code retry} and {@code delete}: count, confirm, act chunk by chunk, summarize. */
    abstract static class Act implements Callable<Integer> {

        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Mixin
        JobsCommand.Matching matching;

        @Option(names = "--yes", description = "Act without asking (a script must say so; on a terminal you are asked).")
        boolean yes;

        private final PrintStream out = System.out;
        private final PrintStream err = System.err;

        abstract BulkActions.Action action();

        @Override
        public Integer call() throws InterruptedException {
            String name = "jobdeck jobs " + spec.name();
            Clock clock = Clock.systemDefaultZone();
            JobFilter filter = matching.filter(spec.commandLine(), clock);
            DataDirectory directory = jobs.directory(matching.dataDir);
            int chosen = matching.store.choose("jobs " + spec.name(), directory, err);
            if (chosen != 0) {
                return chosen;
            }
            StoreHealth health = ScriptStore.checkDirectory(directory);
            if (directory.exists() && !health.isWell()) {
                err.println(name + ": nothing was changed. " + health.message());
                return ScriptStore.SICK;
            }
            ScriptStore.Opened opened = ScriptStore.open("jobs " + spec.name(), directory, false, err);
            if (opened.services() == null) {
                return opened.exitCode();
            }
            AtomicBoolean cancelled = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(1);
            // Ctrl+C: stop between two chunks, say what was done and left, then let the JVM exit (with 130).
            Thread stopper = new Thread(() -> {
                cancelled.set(true);
                try {
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "jobdeck-jobs-stop");
            BulkActions.Summary summary;
            BulkActions.Plan plan;
            try (ScriptServices services = opened.services()) {
                String what = BulkActions.describe(filter, clock.getZone());
                try {
                    plan = services.bulkActions().plan(action(), filter);
                } catch (SQLException | RuntimeException e) {
                    err.println(name + ": cannot read the store in " + directory.path() + ": " + JobsCommand.firstLine(e));
                    return ScriptStore.UNREADABLE;
                }
                if (plan.count() == 0) {
                    say(plan, what, null);
                    return 0;
                }
                if (!yes) {
                    Optional<Boolean> answer = confirm(plan.action().verb() + " " + BulkActions.jobs(plan.count()) + " ("
                            + what + ")? [y/N] ");
                    if (answer.isEmpty()) {
                        throw new ParameterException(spec.commandLine(), "Not on a terminal, so not asking: pass --yes to "
                                + plan.action().verb().toLowerCase(Locale.ROOT) + " the " + BulkActions.jobs(plan.count())
                                + " that match (" + what + ").");
                    }
                    if (!answer.get()) {
                        err.println(name + ": nothing was changed.");
                        return 0;
                    }
                }
                Runtime.getRuntime().addShutdownHook(stopper);
                Progress progress = new Progress(name, err);
                summary = services.bulkActions().run(plan, progress::show, cancelled::get);
                say(plan, what, summary);
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl+C: the hook runs, and ends now that the summary is out.
                }
            }
            if (cancelled.get()) {
                return JobsCommand.INTERRUPTED;
            }
            return summary.stoppedBy().isPresent() || summary.errors() > 0 ? JobsCommand.STOPPED : 0;
        }

        private void say(BulkActions.Plan plan, String what, BulkActions.Summary summary) {
            if (matching.json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("action", plan.action().name().toLowerCase(Locale.ROOT));
                document.put("filter", JobsCommand.filterJson(plan.filter()));
                document.put("countedAt", plan.countedAt().toString());
                document.put("matched", summary == null ? plan.count() : summary.matched());
                document.put("actedOn", summary == null ? 0 : summary.actedOn());
                document.put("skipped", summary == null ? 0 : summary.skippedTotal());
                document.put("skippedBecause", summary == null ? Map.of() : summary.skipped());
                document.put("left", summary == null ? 0 : summary.left());
                document.put("errors", summary == null ? 0 : summary.errors());
                document.put("errorMessages", summary == null ? List.of() : summary.errorMessages());
                document.put("cancelled", summary != null && summary.cancelled());
                document.put("stoppedBy", summary == null ? null : summary.stoppedBy().orElse(null));
                document.put("seconds", summary == null ? 0 : summary.took().toMillis() / 1000.0);
                out.println(ReportJson.toJson(document));
            } else if (summary == null) {
                out.println("No " + what + ": nothing to " + plan.action().title().toLowerCase(Locale.ROOT) + ".");
            } else {
                out.println(summary.text());
            }
            out.flush();
        }

        /** Asks on the terminal; empty when there is none to ask on. */
        private Optional<Boolean> confirm(String question) {
            if (System.console() == null) {
                return Optional.empty();
            }
            err.print(question);
            err.flush();
            try {
                return Optional.of(yes(new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()))
                        .readLine()));
            } catch (IOException e) {
                return Optional.of(false);
            }
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = {"Put every failed or deleted job that matches back in the queue, in chunks, with progress on"
                    + " stderr and a summary at the end. A succeeded job is skipped: it has nothing left to send.",
                    "Exit codes: 0 done, 1 invalid input, 2 no data directory, 3 in use,",
                    "4 unreadable, 5 the store cannot take writes now, 6 stopped before the end,",
                    "130 stopped by Ctrl+C (the summary says what was done and what was left)."})
    static final class Retry extends Act {
        @Override
        BulkActions.Action action() {
            return BulkActions.Action.RETRY;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Delete every job that matches (JobRunr's Deleted state; retry brings them back), in chunks,"
                    + " with progress on stderr and a summary at the end.",
                    "Exit codes: 0 done, 1 invalid input, 2 no data directory, 3 in use,",
                    "4 unreadable, 5 the store cannot take writes now, 6 stopped before the end,",
                    "130 stopped by Ctrl+C (the summary says what was done and what was left)."})
    static final class Delete extends Act {
        @Override
        BulkActions.Action action() {
            return BulkActions.Action.DELETE;
        }
    }

    /** Progress on stderr, a line every two seconds at most, and the last one always. */
    private static final class Progress {
        private static final long EVERY_NANOS = Duration.ofSeconds(2).toNanos();
        private final String name;
        private final PrintStream err;
        private long shownAt = System.nanoTime();

        Progress(String name, PrintStream err) {
            this.name = name;
            this.err = err;
        }

        void show(BulkActions.Progress progress) {
            long now = System.nanoTime();
            if (now - shownAt >= EVERY_NANOS || progress.done() >= progress.total()) {
                shownAt = now;
                err.printf(Locale.ROOT, "%s: %s (%.0f %%)%n", name, progress.text(), progress.fraction() * 100);
                err.flush();
            }
        }
    }

    static boolean yes(String answer) {
        String said = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
        return said.equals("y") || said.equals("yes");
    }
}
