package dev.jobdeck.core;

import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.testsupport.ConsoleStore;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.ScratchStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A worker host follows the SMTP server saved on the console after the worker started. */
@ConsoleStore
class WorkerSettingsTest {

    @Test
    void aServerChangedOnTheConsoleReachesARunningWorker(ConsoleServices console, ScratchStore store) throws Exception {
        try (LocalSmtpSink first = new LocalSmtpSink().start();
             LocalSmtpSink second = new LocalSmtpSink().start()) {
            console.parts().outgoing().useServer(first.settings());
            // A worker that reads the settings again before every delivery rather than every 5 s: no wait for its
            // next read, and the test still fails if it keeps the server it read first.
            ConsoleServices worker = store.open(ConsoleServices.Options.worker("worker-1", 2)
                    .withPeriods(Duration.ZERO, Duration.ofMinutes(1)));
            worker.startHost();
            console.parts().queue().queue(Consoles.email("ann@example.org"));
            await().atMost(Consoles.JOB_TIMEOUT).until(() -> first.messageCount() == 1);

            console.parts().outgoing().useServer(second.settings());
            console.parts().queue().queue(Consoles.email("bob@example.org"));

            await().atMost(Consoles.JOB_TIMEOUT).until(() -> second.messageCount() == 1);
            assertThat(first.messageCount()).isEqualTo(1);
        }
    }
}
