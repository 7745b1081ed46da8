package dev.jobdeck.core;

import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** A worker host follows the SMTP server saved on the console after the worker started. */
class WorkerSettingsTest {

    @TempDir
    Path temp;

    @Test
    void aServerChangedOnTheConsoleReachesARunningWorker() throws Exception {
        try (LocalSmtpSink first = new LocalSmtpSink().start();
             LocalSmtpSink second = new LocalSmtpSink().start();
             ConsoleServices console = Consoles.open(temp)) {
            console.outgoing().useServer(first.settings());
            try (ConsoleServices worker = ConsoleServices.open(new DataDirectory(temp),
                    ConsoleServices.Options.worker("worker-1", 2))) {
                worker.startHost();
                console.queue().queue(Consoles.email("ann@example.org"));
                await().atMost(Consoles.JOB_TIMEOUT).until(() -> first.messageCount() == 1);

                console.outgoing().useServer(second.settings());
                Thread.sleep(Duration.ofSeconds(6).toMillis()); // longer than a worker keeps the settings it read
                console.queue().queue(Consoles.email("bob@example.org"));

                await().atMost(Consoles.JOB_TIMEOUT).until(() -> second.messageCount() == 1);
                org.assertj.core.api.Assertions.assertThat(first.messageCount()).isEqualTo(1);
            }
        }
    }
}
