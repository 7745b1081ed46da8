package dev.jobdeck.bench;

import dev.jobdeck.core.jobs.MessageIds;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: the raw Jakarta Mail loop {@code bench/throughput.sh} compares JobDeck with, as a program of its own
 * ({@code -Dbench.raw=jvm}), or called in the bench's JVM ({@link #rawLoop}, the default). For each line
 * {@code HOST PORT N THREADS} read on standard input it sends N messages over THREADS connections and prints
 * {@code seconds=S jit=MS}. Exits when standard input closes. Given {@code HOST PORT N THREADS} as arguments it
 * sends once and exits, as a command would ({@code bench/send-path.sh}).
 */
public final class RawLoopClient {

    public static void main(String[] args) throws Exception {
        if (args.length == 4) {
            System.out.println("seconds=" + rawLoop(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3])));
            return;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("ready");
        System.out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split(" ");
            long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            double seconds = rawLoop(words[0], Integer.parseInt(words[1]), Integer.parseInt(words[2]),
                    Integer.parseInt(words[3]));
            System.out.println("seconds=" + seconds + " jit="
                    + (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit));
            System.out.flush();
        }
    }

    /** N messages over {@code threads} connections, each thread one connection reused for its share. */
    static double rawLoop(String host, int port, int n, int threads) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", host);
        properties.setProperty("mail.smtp.port", Integer.toString(port));
        properties.setProperty("mail.smtp.connecttimeout", "10000");
        properties.setProperty("mail.smtp.timeout", "30000");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        com.fasterxml.uuid.impl.TimeBasedEpochGenerator ids = com.fasterxml.uuid.Generators.timeBasedEpochGenerator();
        long r0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                Session session = Session.getInstance(properties);
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect();
                    for (int i = thread; i < n; i += threads) {
                        MimeMessage message = new MimeMessage(session);
                        message.setFrom(new InternetAddress("bench@jobdeck.test"));
                        message.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse("raw" + i + "@example.org"));
                        message.setSubject(ThroughputBench.SUBJECT.replace("{{name}}", "Person " + i), "UTF-8");
                        message.setText(ThroughputBench.BODY.replace("{{name}}", "Person " + i), "UTF-8");
                        message.saveChanges();
                        message.setHeader("Message-ID", MessageIds.forJob(ids.generate()));
                        transport.sendMessage(message, message.getAllRecipients());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        return (System.nanoTime() - r0) / 1e9;
    }
}
