package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.DataDirectory;
import org.jobrunr.jobs.states.StateName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Not a unit test: {@code bench/keys-write-cost.sh} runs it. What keeping the sort keys and words (decision 30) costs
 * the writers: N recipients queued (as Compose does) and delivered to the built-in sink, on a fresh store with the
 * keys' triggers and on one without them (dropped after opening: the baseline, as before decision 30), rounds
 * alternating, for single jobs ({@code delivery.batchSize 1}) and the default bulk jobs.
 */
public final class KeysWriteCostBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.printf("%,d recipients, %d rounds each, median; warm-up round not counted%n%n", n, rounds);
        System.out.println("| jobs | keys | queue (ms) | queued to all succeeded (ms) |");
        System.out.println("|---|---|---:|---:|");
        for (String batch : List.of("1", Integer.toString(DeliverySettings.defaults().batchSize()))) {
            run(n, batch, true);
            List<double[]> with = new ArrayList<>();
            List<double[]> without = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                without.add(run(n, batch, false));
                with.add(run(n, batch, true));
            }
            String jobs = batch.equals("1") ? "single (batchSize 1)" : "bulk (batchSize " + batch + ")";
            print(jobs, "without (baseline)", without);
            print(jobs, "with", with);
        }
    }

    private static void print(String jobs, String keys, List<double[]> results) {
        System.out.printf("| %s | %s | %.0f | %.0f |%n", jobs, keys, median(results, 0), median(results, 1));
    }

    private static double median(List<double[]> results, int column) {
        List<Double> values = new ArrayList<>(results.stream().map(result -> result[column]).toList());
        Collections.sort(values);
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }

    private static double[] run(int n, String batchSize, boolean keys) throws Exception {
        Path dir = Files.createTempDirectory("jobdeck-keys-bench");
        String to = IntStream.range(0, n).mapToObj(i -> "user" + i + "@example.org").collect(Collectors.joining("\n"));
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), ConsoleServices.Options.console())) {
            services.settings().put(DeliverySettings.BATCH_SIZE, batchSize);
            if (!keys) {
                try (Connection connection = services.database().dataSource().getConnection();
                     Statement statement = connection.createStatement()) {
                    for (String trigger : List.of("jd_job_keys_trigger", "jd_email_keys_trigger", "jd_attempt_keys_trigger")) {
                        statement.execute("DROP TRIGGER " + trigger);
                    }
                }
            }
            services.startHost();
            long t0 = System.nanoTime();
            services.queue().queue(new SendRequest("bench@jobdeck.test", to, "", "", "Bench notice", "Body",
                    When.now()));
            double queueMillis = (System.nanoTime() - t0) / 1e6;
            while (services.queries().counts().of(StateName.SUCCEEDED) < (batchSize.equals("1") ? n : 1)
                    || services.queries().counts().of(StateName.ENQUEUED) + services.queries().counts().of(StateName.PROCESSING) > 0) {
                Thread.sleep(20);
            }
            return new double[] {queueMillis, (System.nanoTime() - t0) / 1e6};
        }
    }
}
