package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.jobrunr.JobKeysBuild;
import dev.jobdeck.core.store.DataDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a unit test: {@code bench/keys-build.sh} runs it. The one-time build of a store's sort keys and words (decision
 * 30) on a copy of a generated store, per 10,000 jobs: one job per transaction (the baseline, as the open built them
 * before, one job at a time) against {@link JobKeysBuild}'s chunk, rounds alternating, medians.
 */
public final class KeysBuildBench {

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("jobdeck-keys-build");
        copy(source, dir);
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), ConsoleServices.Options.storeOnly())) {
            long jobs = count(services, "SELECT COUNT(*) FROM jobrunr_jobs");
            System.out.printf("%,d jobs (%s), %d rounds each, median; a warm-up round of each not counted%n%n", jobs,
                    source, rounds);
            System.out.println("| jobs per transaction | build (s) | s per 10,000 jobs | ratio to baseline |");
            System.out.println("|---|---:|---:|---:|");
            List<Double> baseline = new ArrayList<>();
            List<Double> chunked = new ArrayList<>();
            build(services, 1);
            build(services, JobKeysBuild.CHUNK);
            for (int round = 0; round < rounds; round++) {
                baseline.add(build(services, 1));
                chunked.add(build(services, JobKeysBuild.CHUNK));
            }
            double base = median(baseline);
            double now = median(chunked);
            System.out.printf("| 1 (baseline) | %.1f | %.2f | 1.00 |%n", base, base * 10_000 / jobs);
            System.out.printf("| %,d | %.1f | %.2f | %.2f |%n", JobKeysBuild.CHUNK, now, now * 10_000 / jobs, now / base);
        } finally {
            // The copy grows by every round's rows (gigabytes): not left behind.
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /** Removes every key and word, owes the build, runs it to the end; seconds. */
    private static double build(ConsoleServices services, int chunk) throws Exception {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM jd_job_key");
            statement.execute("DELETE FROM jd_job_word");
            statement.execute("MERGE INTO jd_setting (name, setting_value) KEY (name) VALUES ('jobs.keys.builtThrough', '')");
        }
        long t0 = System.nanoTime();
        try (JobKeysBuild build = JobKeysBuild.start(services.parts().database().dataSource(), chunk)) {
            while (count(services, "SELECT COUNT(*) FROM jd_setting WHERE name = 'jobs.keys.builtThrough'") > 0) {
                Thread.sleep(20);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long count(ConsoleServices services, String sql) throws Exception {
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().endsWith(".lock")) {
                    Files.copy(file, target);
                }
            }
        }
    }
}
