package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.PostgresServer;
import dev.jobdeck.testsupport.StoreKind;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two consoles on one PostgreSQL store, each in its own data directory (issue 17's bad input: "both work: the store
 * is shared"): the second console's start takes neither the first console's host nor a worker it did not launch for
 * dead, and both queue and deliver.
 */
class TwoConsolesOnOnePostgresStoreTest {

    @TempDir
    Path temp;

    private final List<ConsoleServices> opened = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aSecondConsoleSharesTheStoreAndTakesNoLiveHostForDead() throws Exception {
        PostgresServer.Database store = PostgresServer.freshDatabase();
        ConsoleServices first = open(store, "first", ConsoleServices.Options.console());
        first.startHost();
        ConsoleServices worker = open(store, "worker", ConsoleServices.Options.worker("worker-1", 2));
        worker.startHost();
        QueueResult before = first.parts().queue().queue(Consoles.email("ann@example.org"));
        before.jobIds().forEach(id -> awaitState(first, id, StateName.SUCCEEDED));

        ConsoleServices second = open(store, "second", ConsoleServices.Options.console());
        second.startHost();

        assertThat(first.parts().database().dataSource()).isNotSameAs(second.parts().database().dataSource());
        List<String> running = new ArrayList<>();
        for (HostRecord host : second.parts().hosts().unstopped()) {
            running.add(host.name());
        }
        assertThat(running).as("hosts still running after the second console started")
                .contains(first.hostName(), "worker-1", second.hostName());
        assertThat(second.parts().reports().report(java.util.Optional.empty(), 10).incidents())
                .as("no host was found dead").isEmpty();
        QueueResult fromSecond = second.parts().queue().queue(Consoles.email("bob@example.org,\ncy@example.org"));
        QueueResult fromFirst = first.parts().queue().queue(Consoles.email("dee@example.org"));
        fromSecond.jobIds().forEach(id -> awaitState(first, id, StateName.SUCCEEDED));
        fromFirst.jobIds().forEach(id -> awaitState(second, id, StateName.SUCCEEDED));
        assertThat(first.parts().queries().counts().of(JobState.SUCCEEDED)).isEqualTo(4);
    }

    private ConsoleServices open(PostgresServer.Database store, String name, ConsoleServices.Options options)
            throws Exception {
        DataDirectory directory = StoreKind.directoryOn(store, new DataDirectory(temp.resolve(name)));
        ConsoleServices services = ConsoleServices.open(directory, options);
        opened.add(services);
        return services;
    }
}
