package dev.jobdeck.core.hosts;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.StoreKind;
import dev.jobdeck.testsupport.SlowSmtpServer;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A console drains or stops a host it did not start, through the store alone (decision 40): the host runs in another
 * {@link ConsoleServices} (a worker of its own), on H2 served by the console and on PostgreSQL with a data directory
 * of its own, as on another machine.
 */
class HostCommandsTest {

    @TempDir
    Path temp;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aDrainedHostFinishesItsRunningJobThenStops(String database) throws Exception {
        SlowSmtpServer smtp = slowSmtp(Duration.ofSeconds(2));
        Cluster cluster = cluster(database, smtp);
        List<HostCommands.Request> heard = new CopyOnWriteArrayList<>();
        cluster.worker.onHostStoppedByCommand(heard::add);
        UUID job = cluster.console.parts().queue().queue(Consoles.email("ann@example.org")).jobIds().get(0);
        awaitProcessingOn(cluster.console, job, cluster.workerId);

        UUID command = cluster.console.parts().hostCommands().request(cluster.workerId, HostCommands.Command.DRAIN,
                Duration.ofSeconds(60));

        HostCommands.Progress done = awaitDone(cluster.console, command);
        assertThat(done.outcome()).isEqualTo("drained; 0 job(s) handed back");
        assertThat(Consoles.stateOf(cluster.console, job)).isEqualTo(StateName.SUCCEEDED);
        assertThat(cluster.worker.parts().engine().isServerRunning()).isFalse();
        assertThat(heard).extracting(HostCommands.Request::command).containsExactly(HostCommands.Command.DRAIN);
        HostRecord record = cluster.console.parts().hosts().find(cluster.workerId).orElseThrow();
        assertThat(record.stopReason()).startsWith("drained on request of console on ");
        assertThat(record.exitCode()).isZero();
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aStoppedHostHandsItsRunningJobBackAtOnce(String database) throws Exception {
        SlowSmtpServer smtp = slowSmtp(Duration.ofMinutes(5));
        Cluster cluster = cluster(database, smtp);
        UUID job = cluster.console.parts().queue().queue(Consoles.email("bob@example.org")).jobIds().get(0);
        awaitProcessingOn(cluster.console, job, cluster.workerId);

        UUID command = cluster.console.parts().hostCommands().request(cluster.workerId, HostCommands.Command.STOP, null);

        assertThat(awaitDone(cluster.console, command).outcome()).isEqualTo("stopped; 1 job(s) handed back");
        assertThat(cluster.worker.parts().engine().isServerRunning()).isFalse();
        assertThat(cluster.console.parts().engine().servers()).extracting(status -> status.getId())
                .doesNotContain(cluster.workerId);
        smtp.delay(Duration.ZERO);
        cluster.console.startHost();
        awaitState(cluster.console, job, StateName.SUCCEEDED);
    }

    @Test
    void aCommandIsTakenOnceAndOnlyByItsHost() throws Exception {
        ConsoleServices console = open(Consoles.open(temp.resolve("h2")));
        HostCommands commands = console.parts().hostCommands();
        UUID host = UUID.randomUUID();

        UUID drain = commands.request(host, HostCommands.Command.DRAIN, Duration.ofSeconds(30));
        UUID stop = commands.request(host, HostCommands.Command.STOP, null);

        assertThat(commands.take(UUID.randomUUID())).isEmpty();
        assertThat(commands.pending(host)).isTrue();
        HostCommands.Request first = commands.take(host).orElseThrow();
        assertThat(first.id()).isEqualTo(drain);
        assertThat(first.drain()).isEqualTo(Duration.ofSeconds(30));
        assertThat(commands.take(host).orElseThrow().id()).isEqualTo(stop);
        assertThat(commands.take(host)).isEmpty();
        assertThat(commands.progress(drain).orElseThrow().taken()).isTrue();
        commands.done(drain, "drained");
        commands.done(stop, "stopped");
        assertThat(commands.pending(host)).isFalse();
    }

    @Test
    void aDrainWithoutADeadlineIsRefusedAndNothingIsRecorded() throws Exception {
        ConsoleServices console = open(Consoles.open(temp.resolve("h2")));
        UUID host = UUID.randomUUID();

        assertThatThrownBy(() -> console.parts().hostCommands().request(host, HostCommands.Command.DRAIN, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("A drain deadline is between 1 s and 60 min.");
        assertThat(console.parts().hostCommands().pending(host)).isFalse();
    }

    private record Cluster(ConsoleServices console, ConsoleServices worker, UUID workerId) {
    }

    /** A console that runs no host of its own, and one worker host on its store; both deliver to {@code smtp}. */
    private Cluster cluster(String database, SlowSmtpServer smtp) throws Exception {
        DataDirectory consoleDirectory;
        DataDirectory workerDirectory;
        if (database.equals("postgresql")) {
            PostgresServer.Database store = PostgresServer.freshDatabase();
            consoleDirectory = directoryOn(store, "console");
            workerDirectory = directoryOn(store, "worker");
        } else {
            consoleDirectory = new DataDirectory(temp.resolve("h2"));
            workerDirectory = consoleDirectory;
        }
        ConsoleServices console = open(ConsoleServices.open(consoleDirectory, ConsoleServices.Options.console()));
        console.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", smtp.port()));
        ConsoleServices worker = open(ConsoleServices.open(workerDirectory, ConsoleServices.Options.worker("worker-1", 2)));
        UUID workerId = worker.parts().engine().startServer();
        return new Cluster(console, worker, workerId);
    }

    private SlowSmtpServer slowSmtp(Duration delay) throws Exception {
        return open(new SlowSmtpServer(delay));
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private static void awaitProcessingOn(ConsoleServices console, UUID job, UUID host) {
        await().atMost(Consoles.JOB_TIMEOUT).until(() -> console.parts().engine().storage().getJobById(job).getJobState()
                instanceof ProcessingState processing && host.equals(processing.getServerId()));
    }

    private static HostCommands.Progress awaitDone(ConsoleServices console, UUID command) {
        return await().atMost(Consoles.JOB_TIMEOUT).until(() -> console.parts().hostCommands().progress(command).orElseThrow(),
                HostCommands.Progress::done);
    }

    private DataDirectory directoryOn(PostgresServer.Database store, String name) throws Exception {
        return StoreKind.directoryOn(store, new DataDirectory(temp.resolve(name)));
    }
}
