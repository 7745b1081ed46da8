package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.jobs.ReportJson;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.jobs.SurvivalReports;
import dev.jobdeck.core.store.Incident;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The survival report as the Hosts screen shows it: the ledger of e-mails run as JobRunr jobs next to the
 * in-memory queue's, the incidents, the fate of the jobs of the selected incident, and the re-executions; and
 * its export. Written on the JavaFX thread only, from reports read by {@link HostsModel}.
 */
public final class ReportModel {

    static final int EXPORTED_INCIDENTS = 10_000;

    private final Clock clock;
    private final SurvivalReports reports;
    private final CommandRunner commands;
    private SurvivalReport current;
    private UUID selectedIncident;
    private boolean replacingIncidents;

    // Properties: JobRunr's ledger
    private final ReadOnlyLongWrapper accepted = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper delivered = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper failed = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper pending = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper lost = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper reExecuted = new ReadOnlyLongWrapper();
    private final ReadOnlyStringWrapper ledgerNote = new ReadOnlyStringWrapper("");
    // Properties: the in-memory queue's ledger
    private final ReadOnlyLongWrapper memoryHandedOver = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper memorySent = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper memoryPending = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper memoryLost = new ReadOnlyLongWrapper();
    // Properties: the rest
    private final ReadOnlyStringWrapper generated = new ReadOnlyStringWrapper("Not read yet");
    private final ReadOnlyStringWrapper fatesTitle = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper reExecutedTitle = new ReadOnlyStringWrapper("Re-executed");
    private final ObservableList<SurvivalReport.IncidentReport> incidents = FXCollections.observableArrayList();
    private final ObservableList<SurvivalReport.JobFate> fates = FXCollections.observableArrayList();
    private final ObservableList<SurvivalReport.ReExecution> reExecutions = FXCollections.observableArrayList();
    private final ObservableList<SurvivalReport.IncidentReport> incidentsView = FXCollections.unmodifiableObservableList(incidents);
    private final ObservableList<SurvivalReport.JobFate> fatesView = FXCollections.unmodifiableObservableList(fates);
    private final ObservableList<SurvivalReport.ReExecution> reExecutionsView =
            FXCollections.unmodifiableObservableList(reExecutions);

    ReportModel(Clock clock, SurvivalReports reports, CommandRunner commands) {
        this.clock = clock;
        this.reports = reports;
        this.commands = commands;
        showFates();
    }

    /** Shows a freshly read report; the selected incident stays selected while it is still listed. */
    void show(SurvivalReport report) {
        current = report;
        SurvivalReport.Ledger ledger = report.ledger();
        accepted.set(ledger.accepted());
        delivered.set(ledger.delivered());
        failed.set(ledger.failed());
        pending.set(ledger.pending());
        lost.set(ledger.lost());
        reExecuted.set(ledger.reExecuted());
        ledgerNote.set("Succeeded " + HostTexts.number(ledger.succeeded()) + " · deleted by an operator "
                + HostTexts.number(ledger.deleted()) + " · re-executed: accepted twice, or cut off mid-send and tried"
                + " again, so possibly delivered twice"
                + (ledger.purged() > 0 ? " · removed by retention " + HostTexts.number(ledger.purged())
                        + " (still counted)" : ""));
        SurvivalReport.MemoryLedger memory = report.memory();
        memoryHandedOver.set(memory.accepted());
        memorySent.set(memory.sent());
        memoryPending.set(memory.pending());
        memoryLost.set(memory.lost());
        generated.set("Read at " + HostTexts.precise(report.generatedAt(), clock.getZone(), clock.instant()));
        if (!report.incidents().equals(incidents)) {
            replacingIncidents = true;
            try {
                incidents.setAll(report.incidents());
            } finally {
                replacingIncidents = false;
            }
        }
        if (!report.reExecutions().equals(reExecutions)) {
            reExecutions.setAll(report.reExecutions());
        }
        reExecutedTitle.set("Re-executed (" + HostTexts.number(report.reExecutions().size()) + ")");
        showFates();
    }

    /** The incident whose jobs to list; ignored while the incidents are being replaced (the table drops its selection). */
    public void selectIncident(UUID incidentId) {
        if (replacingIncidents) {
            return;
        }
        selectedIncident = incidentId;
        showFates();
    }

    private void showFates() {
        Optional<SurvivalReport.IncidentReport> incident = selected();
        List<SurvivalReport.JobFate> jobs = incident.map(SurvivalReport.IncidentReport::jobs).orElse(List.of());
        if (!jobs.equals(fates)) {
            fates.setAll(jobs);
        }
        fatesTitle.set(incident.map(i -> i.host() + ": " + HostTexts.action(i.action()) + " with "
                        + HostTexts.jobs(i.jobs().size()) + " in flight"
                        + (i.lostEmails() > 0 ? "; its in-memory queue lost " + HostTexts.emails(i.lostEmails()) : ""))
                .orElse("Select an incident to see what happened to the jobs it had in flight"));
    }

    public Optional<SurvivalReport.IncidentReport> selected() {
        return incidents.stream().filter(i -> i.id().equals(selectedIncident)).findFirst();
    }

    public Optional<UUID> selectedIncidentId() {
        return Optional.ofNullable(selectedIncident);
    }

    /** The newest crash that had jobs in flight: the one whose recovery time is worth showing. */
    public Optional<SurvivalReport.IncidentReport> lastCrashWithJobs() {
        return incidents.stream().filter(i -> i.action() == Incident.Action.CRASH && !i.jobs().isEmpty()).findFirst();
    }

    /** The measured time from the last crash to all its in-flight jobs finished, in words. */
    public String measuredRecovery() {
        boolean anyCrash = incidents.stream().anyMatch(i -> i.action() == Incident.Action.CRASH);
        if (!anyCrash) {
            return "no crash yet";
        }
        return lastCrashWithJobs().map(crash -> {
            Duration done = crash.allDoneAfter();
            String where = " (" + crash.host() + ", " + HostTexts.jobs(crash.jobs().size()) + ")";
            return done == null ? "measuring: " + HostTexts.allDoneAfter(crash) + where : HostTexts.duration(done) + where;
        }).orElse("no crash with jobs in flight yet");
    }

    /** How long after the last crash the console handed its jobs back (JobRunr's own detection when it could not). */
    public String handedBackAfter() {
        return lastCrashWithJobs().map(HostTexts::detectedAfter).orElse(measuredRecovery());
    }

    /** Writes the whole survival report (every incident) as JSON to {@code file}. */
    public void exportReport(Path file) {
        commands.run("Exporting the report", () -> {
            SurvivalReport whole = reports.report(Optional.empty(), EXPORTED_INCIDENTS);
            Files.writeString(file, ReportJson.toJson(whole));
            return whole;
        }, whole -> "Exported the survival report (" + whole.incidents().size() + " incidents, lost "
                + whole.ledger().lost() + ") to " + file + ".");
    }

    public ZoneId zone() {
        return clock.getZone();
    }

    public Instant now() {
        return clock.instant();
    }

    public Optional<SurvivalReport> current() {
        return Optional.ofNullable(current);
    }

    public boolean isReplacingIncidents() {
        return replacingIncidents;
    }

    // Property accessors

    public ReadOnlyBooleanProperty busyProperty() {
        return commands.busyProperty();
    }

    public ReadOnlyLongProperty acceptedProperty() {
        return accepted.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty deliveredProperty() {
        return delivered.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty pendingProperty() {
        return pending.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty lostProperty() {
        return lost.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty reExecutedProperty() {
        return reExecuted.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty ledgerNoteProperty() {
        return ledgerNote.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty memoryHandedOverProperty() {
        return memoryHandedOver.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty memorySentProperty() {
        return memorySent.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty memoryPendingProperty() {
        return memoryPending.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty memoryLostProperty() {
        return memoryLost.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty generatedProperty() {
        return generated.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty fatesTitleProperty() {
        return fatesTitle.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty reExecutedTitleProperty() {
        return reExecutedTitle.getReadOnlyProperty();
    }

    public ObservableList<SurvivalReport.IncidentReport> incidents() {
        return incidentsView;
    }

    public ObservableList<SurvivalReport.JobFate> fates() {
        return fatesView;
    }

    public ObservableList<SurvivalReport.ReExecution> reExecutions() {
        return reExecutionsView;
    }
}
