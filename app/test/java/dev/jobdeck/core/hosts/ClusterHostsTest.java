package dev.jobdeck.core.hosts;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Hosts screen's view of the cluster (decision 40): every host of the store, where it runs, and who went silent. */
class ClusterHostsTest {

    @TempDir
    Path temp;

    @Test
    void aHostOnAnotherMachineThatStoppedHeartbeatingIsShownDeadWithOneIncidentAcrossConsoles() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            HostSupervisor supervisor = console.parts().supervisor().orElseThrow();
            UUID remote = UUID.randomUUID();
            Instant longAgo = Instant.now().minus(Duration.ofMinutes(10));
            console.parts().hosts().register(new HostRecord(remote, "worker-far", HostRecord.Kind.WORKER, 1L, 4, longAgo, null,
                    null, null, "far-away-machine", "10.0.0.7"));

            HostStatus row = supervisor.hosts().stream().filter(host -> host.id().equals(remote)).findFirst().orElseThrow();
            // Another console of the same store looks too: the host is recorded dead once, by whoever saw it first.
            try (HostSupervisor other = new HostSupervisor(console.parts().engine(), console.parts().hosts(), console.parts().incidents(),
                    WorkerLauncher.sameJvm(new DataDirectory(temp)), console.parts().hostCommands(), console.parts().liveSettings()::policy,
                    Clock.systemUTC())) {
                assertThat(other.noticeDeadHosts()).isZero();
            }
            supervisor.hosts();

            assertThat(row.state()).isEqualTo(HostStatus.State.DEAD);
            assertThat(row.machine()).isEqualTo("far-away-machine");
            assertThat(row.address()).isEqualTo("10.0.0.7");
            assertThat(row.local()).isFalse();
            assertThat(row.stopReason()).startsWith("stopped heartbeating (no heartbeat in the store");
            assertThat(console.parts().incidents().recent(100)).filteredOn(incident -> incident.hostId().equals(remote))
                    .extracting(Incident::action).containsExactly(Incident.Action.DIED);
            assertThat(console.parts().reports().report(Optional.empty(), 100).incidents())
                    .extracting(SurvivalReport.IncidentReport::host).contains("worker-far");
        }
    }

    @Test
    void aWorkerThisConsoleDidNotStartIsListedWithItsMachineAndAddressAndIsNotLocal() throws Exception {
        try (ConsoleServices console = Consoles.open(temp);
             ConsoleServices worker = ConsoleServices.open(new DataDirectory(temp),
                     ConsoleServices.Options.worker("worker-by-hand", 2))) {
            UUID id = worker.parts().engine().startServer();

            HostStatus row = console.parts().supervisor().orElseThrow().hosts().stream().filter(host -> host.id().equals(id))
                    .findFirst().orElseThrow();

            assertThat(row.state()).isIn(HostStatus.State.RUNNING, HostStatus.State.STARTING);
            assertThat(row.machine()).isEqualTo(console.parts().hosts().machine());
            assertThat(row.address()).isEqualTo("127.0.0.1");
            assertThat(row.local()).isFalse();
        }
    }
}
