package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.core.jobs.ReportJson;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jobdeck status [--json]}: jobs per state, the hosts still running and the ledger totals. Reads through
 * the running console's store when there is one, so it works while the console is open.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print jobs per state, running hosts and ledger totals.",
                "Exit codes: 0 ok, 1 invalid input, 2 no data directory, 3 in use, 4 unreadable."})
final class StatusCommand implements Callable<Integer> {

    static final int NO_DATA = ScriptStore.NO_DATA;
    static final int LOCKED = ScriptStore.LOCKED;
    static final int UNREADABLE = ScriptStore.UNREADABLE;

    @ParentCommand
    Main parent;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Mixin
    DataDirOption dataDir;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        DataDirectory directory = dataDir.resolve(parent);
        ScriptStore.Opened opened = ScriptStore.open("status", directory, true, err);
        if (opened.services() == null) {
            return opened.exitCode();
        }
        JobCounts counts;
        List<HostRecord> hosts;
        SurvivalReport.Ledger ledger;
        try (ConsoleServices services = opened.services()) {
            counts = services.queries().counts();
            hosts = services.hosts().unstopped().stream().filter(host -> host.process().isPresent()).toList();
            ledger = services.reports().ledger(Optional.empty());
        } catch (SQLException e) {
            err.println("jobdeck status: " + e.getMessage());
            return UNREADABLE;
        }
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("dataDir", directory.path().toString());
            document.put("counts", counts.asNamedMap());
            document.put("total", counts.total());
            List<Map<String, Object>> hostList = new ArrayList<>();
            for (HostRecord host : hosts) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", host.name());
                entry.put("kind", host.kind().name());
                entry.put("pid", host.pid());
                entry.put("workers", host.workers());
                entry.put("startedAt", host.startedAt().toString());
                hostList.add(entry);
            }
            document.put("hosts", hostList);
            document.put("ledger", ledger);
            out.println(ReportJson.toJson(document));
        } else {
            out.println("JobDeck data in " + directory.path());
            counts.asNamedMap().forEach((state, count) -> out.printf("  %-11s %8d%n", state, count));
            out.printf("Hosts running: %d%s%n", hosts.size(), hosts.isEmpty() ? ""
                    : " (" + String.join(", ", hosts.stream().map(HostRecord::name).toList()) + ")");
            out.printf("Ledger: %d accepted, %d delivered, %d pending, %d lost, %d re-executed%n", ledger.accepted(),
                    ledger.delivered(), ledger.pending(), ledger.lost(), ledger.reExecuted());
        }
        return 0;
    }
}
