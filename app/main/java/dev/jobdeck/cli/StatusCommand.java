package dev.jobdeck.cli;

import dev.jobdeck.core.ScriptServices;
import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.core.jobs.ReportJson;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.StoreEndpoint;
import dev.jobdeck.core.store.StoreHealth;
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
        description = {"Print jobs per state, running hosts, ledger totals and whether the store can take writes.",
                "Exit codes: 0 ok, 1 invalid input, 2 no data directory, 3 in use, 4 unreadable or not answering,",
                "5 the store cannot take writes now (disk full, directory read-only or deleted)."})
final class StatusCommand implements Callable<Integer> {

    static final int NO_DATA = ScriptStore.NO_DATA;
    static final int LOCKED = ScriptStore.LOCKED;
    static final int UNREADABLE = ScriptStore.UNREADABLE;
    static final int SICK = ScriptStore.SICK;

    @ParentCommand
    Main parent;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    StoreOption store;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        DataDirectory directory = dataDir.resolve(parent);
        int chosen = store.choose("status", directory, err);
        if (chosen != 0) {
            return chosen;
        }
        StoreHealth health = ScriptStore.checkDirectory(directory);
        boolean served = StoreEndpoint.read(directory).filter(StoreEndpoint::ownerAlive).isPresent();
        if (!health.isWell() && !served && directory.exists()) {
            // No console holds it open: opening it here would write to a directory that cannot take writes.
            err.println("jobdeck status: " + health.message());
            return SICK;
        }
        ScriptStore.Opened opened = ScriptStore.open("status", directory, false, err);
        if (opened.services() == null) {
            if (!health.isWell() && opened.exitCode() != NO_DATA) {
                err.println("jobdeck status: " + health.message());
                return SICK;
            }
            return opened.exitCode();
        }
        JobCounts counts;
        List<HostRecord> hosts;
        SurvivalReport.Ledger ledger;
        long storeBytes;
        try (ScriptServices services = opened.services()) {
            counts = services.queries().counts();
            hosts = services.unstoppedHosts().stream().filter(host -> host.process().isPresent()).toList();
            ledger = services.reports().ledger(Optional.empty());
            storeBytes = services.storeSizeOnDisk();
        } catch (SQLException | RuntimeException e) {
            // A console that stopped answering ends here after the scripts' network timeout, not never.
            err.println("jobdeck status: cannot read the store in " + directory.path() + ": " + firstLine(e)
                    + (served ? " Is the console serving it still running?" : ""));
            if (!health.isWell()) {
                err.println("jobdeck status: " + health.message());
                return SICK;
            }
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
            Map<String, Object> store = new LinkedHashMap<>();
            store.put("well", health.isWell());
            store.put("condition", health.condition().name());
            store.put("message", health.message());
            store.put("bytesOnDisk", storeBytes);
            document.put("store", store);
            out.println(ReportJson.toJson(document));
        } else {
            out.println("JobDeck data in " + directory.path());
            counts.asNamedMap().forEach((state, count) -> out.printf("  %-11s %8d%n", state, count));
            out.printf("Hosts running: %d%s%n", hosts.size(), hosts.isEmpty() ? ""
                    : " (" + String.join(", ", hosts.stream().map(HostRecord::name).toList()) + ")");
            out.printf("Ledger: %d accepted, %d delivered, %d pending, %d lost, %d re-executed%n", ledger.accepted(),
                    ledger.delivered(), ledger.pending(), ledger.lost(), ledger.reExecuted());
            out.println("Store: " + (health.isWell() ? "well" : health.message()));
        }
        if (!health.isWell()) {
            if (json) {
                err.println("jobdeck status: " + health.message());
            }
            return SICK;
        }
        return 0;
    }

    private static String firstLine(Exception e) {
        Throwable shown = e;
        while (shown.getCause() != null && shown.getMessage() != null && shown.getMessage().contains("Exception:")) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
