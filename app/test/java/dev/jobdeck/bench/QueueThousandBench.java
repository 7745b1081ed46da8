package dev.jobdeck.bench;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.store.DataDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Not a unit test: {@code bench/queue-thousand.sh} runs it. Pastes N recipients into the queue (as the
 * Compose screen does), waits until all are delivered to the built-in sink, and measures a raw
 * Jakarta Mail loop (one connection per message) to the same sink in the same run as the baseline.
 */
public final class QueueThousandBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("jobdeck-bench");
        String to = IntStream.range(0, n).mapToObj(i -> "user" + i + "@example.org").collect(Collectors.joining("\n"));
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), ConsoleServices.Options.console())) {
            services.startHost();
            long t0 = System.nanoTime();
            QueueResult result = services.parts().queue().queue(new SendRequest("bench@jobdeck.test", to, "", "", "Bench", "Body", When.now()));
            double queueSeconds = (System.nanoTime() - t0) / 1e9;
            while (services.parts().queries().counts().of(JobState.SUCCEEDED) < n) {
                Thread.sleep(50);
            }
            double deliverSeconds = (System.nanoTime() - t0) / 1e9;
            long received = services.sink().orElseThrow().messageCount();

            Mailer mailer = new Mailer();
            long r0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                mailer.send(services.sink().orElseThrow().settings(),
                        EmailMessage.of("bench@jobdeck.test", "raw" + i + "@example.org", "Raw", "Body"),
                        "<raw-" + i + "@jobdeck.local>");
            }
            double rawSeconds = (System.nanoTime() - r0) / 1e9;
            System.out.printf("recipients=%d jobs=%d queued_in=%.3fs all_succeeded_after=%.2fs received=%d%n",
                    n, result.jobIds().size(), queueSeconds, deliverSeconds, received);
            System.out.printf("jobdeck_rate=%.0f/s (incl. first 5 s poll) raw_loop_rate=%.0f/s ratio=%.2f%n",
                    n / deliverSeconds, n / rawSeconds, (n / deliverSeconds) / (n / rawSeconds));
        }
    }
}
