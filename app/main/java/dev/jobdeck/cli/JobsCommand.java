package dev.jobdeck.cli;

import dev.jobdeck.core.ScriptServices;
import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.JobPage;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.JobRow;
import dev.jobdeck.core.jobs.query.JobSearch;
import dev.jobdeck.core.jobs.query.JobSort;
import dev.jobdeck.core.jobs.query.PageRequest;
import dev.jobdeck.core.jobs.ReportJson;
import dev.jobdeck.core.jobs.TimeInput;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.jobs.query.JobState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.sql.SQLException;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code jobdeck jobs list|retry|delete}: the jobs that match a state, a search and a time range, as the Jobs screen
 * shows them, and the same bulk actions as its "Act on all matching" (decision 27). Reads and acts through the running
 * console's store when there is one, like {@code status}.
 */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"List, retry or delete every job that matches a state, a search and a time range.",
                "Exit codes: 0 ok, 1 invalid input, 2 no data directory, 3 in use,",
                "4 unreadable, 5 the store cannot take writes now, 6 stopped before the end,",
                "130 stopped by Ctrl+C (the summary says what was done and what was left)."},
        subcommands = {JobsCommand.ListJobs.class, JobsActions.Retry.class, JobsActions.Delete.class})
final class JobsCommand implements Callable<Integer> {

    static final int STOPPED = 6;
    /** What a shell reports for a process ended by SIGINT; the JVM exits with it once the summary is printed. */
    static final int INTERRUPTED = 130;

    @ParentCommand
    Main parent;

    @Spec
    CommandSpec spec;

    /** Also before the sub-command ({@code jobdeck jobs --data-dir DIR list}); the sub-command's own wins. */
    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: list, retry or delete");
    }

    DataDirectory directory(DataDirOption own) {
        return ScriptStore.directory(own.dataDir != null ? own.dataDir : dataDir.dataDir, parent);
    }

    /** The options every sub-command shares: which jobs match. */
    static final class Matching {

        @Option(names = "--state", paramLabel = "STATE",
                description = "Only jobs in this state: scheduled, enqueued, processing, succeeded, failed, deleted, awaiting.")
        String state;

        @Option(names = "--search", paramLabel = "TEXT",
                description = "Only jobs whose recipient or subject contains TEXT (ignoring case), or with this job id.")
        String search;

        @Option(names = "--since", paramLabel = "TIME", description = "Only jobs last updated at or after TIME: "
                + "2026-12-07T09:30:00Z, 2026-12-07 09:30 (local), 2026-12-07, or an age such as 30m, 2h, 3d.")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Only jobs last updated before TIME (same forms).")
        String until;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Mixin
        DataDirOption dataDir;

        @Mixin
        StoreOption store;

        /** The filter, or invalid input in one sentence (nothing has been opened or changed yet). */
        JobFilter filter(CommandLine command, Clock clock) {
            Optional<JobState> named = Optional.empty();
            if (state != null) {
                named = Arrays.stream(JobState.values()).filter(value -> value.name().equalsIgnoreCase(state.strip()))
                        .findFirst();
                if (named.isEmpty()) {
                    throw new ParameterException(command, "Unknown state \"" + state + "\": use one of "
                            + Arrays.stream(JobState.values()).map(value -> value.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")) + ".");
                }
            }
            try {
                return TimeInput.range(new JobFilter(named, search, Optional.empty(), Optional.empty()), since, until, clock);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command, e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Print the most recently updated jobs that match (a page) and how many match in all.",
                    "Exit codes: 0 ok, 1 invalid input or --sort not ready yet, 2 no data directory, 3 in use,"
                            + " 4 unreadable."})
    static final class ListJobs implements Callable<Integer> {

        static final int MAX_LIMIT = 1_000;

        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Mixin
        Matching matching;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Jobs to print (at most "
                + MAX_LIMIT + "; default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--sort", paramLabel = "COLUMN", description = "Order by a column of the Jobs table: updated"
                + " (default), state, recipient, subject, tries, host, code, reply.")
        String sort;

        @Option(names = "--desc", description = "With --sort: last first (without --sort the newest come first).")
        boolean desc;

        /** The order asked for, or invalid input in one sentence. */
        PageRequest request() {
            if (sort == null) {
                return PageRequest.first(limit);
            }
            JobSort column = JobSort.named(sort).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "Unknown column \"" + sort + "\" for --sort: use one of " + Arrays.stream(JobSort.values())
                            .map(value -> value.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + "."));
            return PageRequest.first(column, desc, limit);
        }

        private final PrintStream out = System.out;
        private final PrintStream err = System.err;

        @Override
        public Integer call() {
            Clock clock = Clock.systemDefaultZone();
            JobFilter filter = matching.filter(spec.commandLine(), clock);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new ParameterException(spec.commandLine(), "--limit must be between 1 and " + MAX_LIMIT + ", not "
                        + limit + ".");
            }
            PageRequest request = request();
            DataDirectory directory = jobs.directory(matching.dataDir);
            int chosen = matching.store.choose("jobs list", directory, err);
            if (chosen != 0) {
                return chosen;
            }
            ScriptStore.Opened opened = ScriptStore.open("jobs list", directory, false, err);
            if (opened.services() == null) {
                return opened.exitCode();
            }
            JobPage page;
            long total;
            try (ScriptServices services = opened.services()) {
                page = services.queries().page(filter, request);
                total = page.totalCapped() || page.hasNext() ? services.queries().count(filter) : page.rows().size();
            } catch (SQLException | RuntimeException e) {
                err.println("jobdeck jobs list: cannot read the store in " + directory.path() + ": " + firstLine(e));
                return ScriptStore.UNREADABLE;
            }
            if (page.sortedOtherwise(request)) {
                // Not a different order than asked under exit 0: a script would take it for the one it asked.
                err.println("jobdeck jobs list: sorting by " + request.sort().name().toLowerCase(Locale.ROOT) + " is being prepared ("
                        + page.keysBuilding().orElse(0) + " % of jobs done; a console or `jobdeck serve` on this store"
                        + " builds it); list without --sort meanwhile.");
                return 1;
            }
            if (page.keysBuilding().isPresent() && filter.hasSearch()
                    && JobSearch.SearchKind.of(filter.search()) == JobSearch.SearchKind.TEXT) {
                err.println("jobdeck jobs list: word search is being prepared (" + page.keysBuilding().get()
                        + " % of jobs done): only the jobs done so far are found by their words.");
            }
            if (matching.json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("filter", filterJson(filter));
                Map<String, Object> order = new LinkedHashMap<>();
                order.put("column", request.sort().name().toLowerCase(Locale.ROOT));
                order.put("descending", request.descending());
                document.put("sort", order);
                document.put("total", total);
                document.put("shown", page.rows().size());
                List<Map<String, Object>> rows = new ArrayList<>();
                for (JobRow row : page.rows()) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("id", row.jobId().toString());
                    entry.put("state", row.state().name().toLowerCase(Locale.ROOT));
                    entry.put("recipient", row.recipient());
                    entry.put("subject", row.subject());
                    entry.put("attempts", row.attempts());
                    entry.put("host", row.host());
                    entry.put("createdAt", text(row.createdAt()));
                    entry.put("updatedAt", text(row.updatedAt()));
                    entry.put("scheduledAt", text(row.scheduledAt()));
                    entry.put("lastCode", row.lastCode());
                    entry.put("lastReply", row.lastReply());
                    rows.add(entry);
                }
                document.put("jobs", rows);
                out.println(ReportJson.toJson(document));
                return 0;
            }
            DateTimeFormatter time = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(clock.getZone());
            if (!page.rows().isEmpty()) {
                out.printf("%-36s  %-10s  %-19s  %5s  %-30s  %s%n", "ID", "STATE", "UPDATED", "TRIES", "RECIPIENT", "SUBJECT");
            }
            for (JobRow row : page.rows()) {
                out.printf("%-36s  %-10s  %-19s  %5d  %-30s  %s%n", row.jobId(), JobQueries.title(row.state()),
                        row.updatedAt() == null ? "" : time.format(row.updatedAt()), row.attempts(),
                        cut(row.recipient(), 30), cut(row.subject(), 60));
            }
            String what = BulkActions.describe(filter, clock.getZone());
            out.println(total == 0 ? "No " + what + "."
                    : NumberFormat.getIntegerInstance(Locale.ROOT).format(page.rows().size()) + " of "
                            + BulkActions.jobs(total) + " shown, " + orderText(request) + ": " + what + ".");
            return 0;
        }
    }

    /** How a list is ordered, in words: "most recently updated first", "by recipient, last first". */
    static String orderText(PageRequest request) {
        if (request.sort() == JobSort.UPDATED) {
            return request.descending() ? "most recently updated first" : "least recently updated first";
        }
        return "by " + (request.sort() == JobSort.REPLY ? "last reply" : request.sort().name().toLowerCase(Locale.ROOT))
                + (request.descending() ? ", last first" : "");
    }

    static Map<String, Object> filterJson(JobFilter filter) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", filter.state().map(state -> state.name().toLowerCase(Locale.ROOT)).orElse(null));
        json.put("search", filter.search());
        json.put("since", filter.since().map(Instant::toString).orElse(null));
        json.put("until", filter.until().map(Instant::toString).orElse(null));
        return json;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String cut(String text, int width) {
        String shown = text == null ? "" : text;
        return shown.length() <= width ? shown : shown.substring(0, width - 1) + "\u2026";
    }

    static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
