package dev.jobdeck.cli;

import dev.jobdeck.core.ScriptServices;
import dev.jobdeck.core.jobs.ReportJson;
import dev.jobdeck.core.jobs.SurvivalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code jobdeck report}: the survival report (ledger, incidents, re-executions), as text or JSON. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Print the survival report: accepted, delivered, pending, lost and re-executed e-mails,",
                "and every crash, recycle and restart with the fate of its in-flight jobs.",
                "Exit codes: 0 ok, 1 invalid input, 2 no data directory, 3 in use, 4 unreadable, 5 e-mails were lost."})
final class ReportCommand implements Callable<Integer> {

    static final int LOST = 5;

    @ParentCommand
    Main parent;

    @Option(names = "--batch", paramLabel = "ID|KEY",
            description = "Only the e-mails of this batch: its id (printed by send) or the --key it was sent with.")
    String batch;

    @Option(names = "--incidents", paramLabel = "N", defaultValue = "20", description = "Most recent incidents to include.")
    int incidents;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    StoreOption store;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() {
        dev.jobdeck.core.store.DataDirectory directory = dataDir.resolve(parent);
        int chosen = store.choose("report", directory, err);
        if (chosen != 0) {
            return chosen;
        }
        ScriptStore.Opened opened = ScriptStore.open("report", directory, false, err);
        if (opened.services() == null) {
            return opened.exitCode();
        }
        SurvivalReport report;
        try (ScriptServices services = opened.services()) {
            Optional<UUID> batchId = Optional.empty();
            if (batch != null) {
                batchId = batchNamed(services, batch);
                if (batchId.isEmpty()) {
                    // What a send whose outcome was unknown needs to hear when its commit did not happen.
                    out.println("No batch was queued with the key \"" + batch + "\": nothing under it was accepted.");
                    return 0;
                }
            }
            report = services.reports().report(batchId, Math.max(1, incidents));
        } catch (SQLException e) {
            err.println("jobdeck report: " + e.getMessage());
            return ScriptStore.UNREADABLE;
        }
        if (json) {
            out.println(ReportJson.toJson(report));
        } else {
            print(report);
        }
        return report.ledger().lost() + report.memory().lost() > 0 ? LOST : 0;
    }

    /** A batch by the key it was sent with, or else by its id; empty for a key no batch has. */
    private static Optional<UUID> batchNamed(ScriptServices services, String name) throws SQLException {
        Optional<UUID> keyed = services.keyedBatch(name);
        if (keyed.isPresent()) {
            return keyed;
        }
        try {
            return Optional.of(UUID.fromString(name));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    private void print(SurvivalReport report) {
        SurvivalReport.Ledger ledger = report.ledger();
        out.printf("Durable jobs: %d accepted, %d delivered, %d failed, %d pending, %d lost, %d re-executed%n",
                ledger.accepted(), ledger.delivered(), ledger.failed(), ledger.pending(), ledger.lost(), ledger.reExecuted());
        if (ledger.purged() > 0) {
            out.printf("%d e-mails were removed by retention; the counts above still include them%n", ledger.purged());
        }
        SurvivalReport.MemoryLedger memory = report.memory();
        if (memory.accepted() > 0) {
            out.printf("In-memory queue: %d handed over, %d sent, %d pending, %d lost%n",
                    memory.accepted(), memory.sent(), memory.pending(), memory.lost());
        }
        for (SurvivalReport.IncidentReport incident : report.incidents()) {
            out.printf("%s %s %s: %s%s%s%n", incident.happenedAt(), incident.action(), incident.host(),
                    fateOf(incident), incident.lostEmails() == 0 ? "" : "; " + incident.lostEmails()
                            + " e-mails of its in-memory queue lost",
                    incident.replacement() == null ? "" : "; replaced by " + incident.replacement());
        }
        for (SurvivalReport.ReExecution again : report.reExecutions()) {
            out.printf("re-executed: %s to %s (%s; first try on %s, %d attempts)%n", again.messageId(), again.recipient(),
                    again.certain() ? "accepted " + again.sent() + " times" : "an attempt was cut off mid-send, perhaps twice",
                    again.interruptedOn(), again.attempts());
        }
    }

    /** What became of an incident's jobs in flight (issue 19: "0 in flight, not all finished yet" read as a loss). */
    static String fateOf(SurvivalReport.IncidentReport incident) {
        if (incident.jobs().isEmpty()) {
            return "no JobRunr jobs in flight";
        }
        return incident.jobs().size() + " in flight, " + (incident.allDoneAfter() == null ? "not all finished yet"
                : "all finished " + incident.allDoneAfter().toMillis() / 1000.0 + " s later");
    }
}
