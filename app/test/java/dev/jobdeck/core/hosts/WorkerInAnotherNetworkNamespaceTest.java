package dev.jobdeck.core.hosts;

import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.ListeningPostgres;
import dev.jobdeck.testsupport.NetworkNamespace;
import dev.jobdeck.testsupport.WorkerKillOnPostgres;
import dev.jobdeck.testsupport.WorkerKillOnPostgres.Outcome;
import dev.jobdeck.testsupport.WorkerKillOnPostgres.Where;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: a worker in a network namespace of its own, with its own address, reaching PostgreSQL and SMTP over a
 * veth pair only, proves no part of a worker on PostgreSQL assumes loopback. It delivers, the console lists it, and
 * after its {@code kill -9} (nothing supervises it) JobRunr's server timeout hands its jobs back: nothing lost, every
 * possible duplicate reported. The same round with an unsupervised worker on 127.0.0.1, and one the console launched
 * itself, run alongside for comparison; their recovery times are printed (figures: {@code bench/remote-recovery.sh}).
 * Skipped, with the reason, where this machine gives no root and {@code ip netns}.
 */
class WorkerInAnotherNetworkNamespaceTest {

    @TempDir
    Path temp;

    @ChildProcesses
    @Test
    void aWorkerInAnotherNetworkNamespaceDeliversIsSeenAndItsJobsSurviveItsKill() throws Exception {
        NetworkNamespace.assumeAvailable();
        try (NetworkNamespace namespace = NetworkNamespace.open();
             ListeningPostgres postgres = ListeningPostgres.start(namespace.hostCidr())) {
            assertThat(namespace.canConnect(namespace.hostAddress(), postgres.port()))
                    .as("PostgreSQL answers the namespace on the veth pair").isTrue();
            assertThat(namespace.canConnect("127.0.0.1", postgres.port()))
                    .as("this machine's 127.0.0.1 is out of the namespace's reach").isFalse();

            Map<Where, Outcome> outcomes = new EnumMap<>(Where.class);
            for (Where where : Where.values()) {
                Outcome outcome = WorkerKillOnPostgres.run(where, postgres, namespace, temp.resolve(where.name()));
                outcomes.put(where, outcome);
                assertThat(outcome.workerSeen().local()).as("%s: a worker the console did not start is not local", where)
                        .isEqualTo(where == Where.LAUNCHED_BY_CONSOLE);
                assertThat(outcome.ledger().accepted()).isEqualTo(WorkerKillOnPostgres.BATCH);
                assertThat(outcome.ledger().lost()).isZero();
                assertThat(outcome.acceptedMessageIds().stream().distinct().count()).isEqualTo(WorkerKillOnPostgres.BATCH);
                // Only e-mails cut off mid-send can have arrived twice, and the report names each of them.
                assertThat(outcome.duplicates().size()).isLessThanOrEqualTo((int) outcome.inFlight());
                assertThat(outcome.ledger().reExecuted()).isGreaterThanOrEqualTo(outcome.duplicates().size());
            }
            outcomes.values().forEach(outcome -> System.out.printf(
                    "kill -9 of a worker on PostgreSQL (%s) with %d in flight: all %d done %.1f s after the kill "
                            + "(delivered after %.1f s), %d duplicates%n", outcome.where().label(), outcome.inFlight(),
                    WorkerKillOnPostgres.BATCH, outcome.recovery().toMillis() / 1000.0,
                    outcome.delivered().toMillis() / 1000.0, outcome.duplicates().size()));
        }
    }
}
