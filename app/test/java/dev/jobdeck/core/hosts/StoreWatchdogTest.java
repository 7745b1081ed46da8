package dev.jobdeck.core.hosts;

import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StoreWatchdogTest {

    @TempDir
    Path temp;

    /**
     * JobRunr stops a server when one heartbeat fails. A console restarted at once leaves the store answering at every
     * check of the watchdog, and the worker's server stopped: issue 15's drill found such a worker idle for the rest
     * of the run. The watchdog starts it again.
     */
    @Test
    void aHostThatStoppedWhileTheStoreAnswersIsStartedAgain() throws Exception {
        try (Database store = Database.open(new DataDirectory(temp.resolve("data")), 2)) {
            AtomicBoolean running = new AtomicBoolean(false);
            AtomicInteger restarts = new AtomicInteger();
            // Each check of a store that answers asks whether the host runs: the checks can be counted.
            AtomicInteger checks = new AtomicInteger();
            List<String> said = new CopyOnWriteArrayList<>();
            StoreWatchdog watchdog = new StoreWatchdog(store.dataSource(), Duration.ofSeconds(30), Duration.ofMillis(50),
                    Clock.systemUTC(), said::add);
            Thread watching = new Thread(() -> {
                try {
                    watchdog.watch(() -> {
                        restarts.incrementAndGet();
                        running.set(true);
                    }, () -> {
                        checks.incrementAndGet();
                        return running.get();
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            watching.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> restarts.get() == 1);
                assertThat(said).anySatisfy(line -> assertThat(line).contains("JobRunr server stopped"));
                int restartedAt = checks.get();
                // Two more checks: a running host is left alone.
                await().atMost(Duration.ofSeconds(30)).until(() -> checks.get() >= restartedAt + 2);
                assertThat(restarts).hasValue(1);
            } finally {
                watching.interrupt();
                watching.join();
            }
        }
    }
}
