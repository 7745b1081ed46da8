package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a unit test: {@code bench/sink-recording.sh} runs it. What recording every accepted message in
 * H2 before the 250 costs: N messages from T client threads (one connection per message) to a sink
 * that keeps messages in memory, then to the console's sink that records them in jd_sink_message.
 */
public final class SinkRecordingBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (LocalSmtpSink memory = new LocalSmtpSink().start()) {
            send(memory.settings(), 200, threads, "warm");
            double rate = send(memory.settings(), n, threads, "mem");
            System.out.printf("in-memory sink: %d msgs from %d threads: %.0f msgs/s (stored %d)%n", n, threads, rate,
                    memory.messageCount());
        }
        Path dir = Files.createTempDirectory("jobdeck-sink-bench");
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), ConsoleServices.Options.console())) {
            LocalSmtpSink sink = services.sink().orElseThrow();
            send(sink.settings(), 200, threads, "warm");
            double rate = send(sink.settings(), n, threads, "h2");
            System.out.printf("H2-recording sink: %d msgs from %d threads: %.0f msgs/s (rows %d, duplicates %d)%n", n, threads,
                    rate, sink.messageCount(), sink.mailbox().duplicateMessageIds().size());
        }
    }

    private static double send(SmtpSettings settings, int n, int threads, String tag) throws Exception {
        Mailer mailer = new Mailer();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "<" + tag + "-" + i + "@bench>";
                done.add(pool.submit(() -> mailer.send(settings,
                        EmailMessage.of("bench@jobdeck.test", "ann@example.org", "Bench", "Body"), id)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
