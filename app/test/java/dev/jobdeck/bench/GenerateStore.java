package dev.jobdeck.bench;

import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.StoreGenerator;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: {@code bench/generate-store.sh N DATA_DIR [SEED] [MIX]} runs it. Creates the data directory (or adds
 * to it) as a console does and fills it with N generated jobs ({@link StoreGenerator}; MIX {@code realistic}, the
 * default, or {@code backlog}: only Enqueued single jobs), then prints what it wrote, how long it took and the size
 * of the store on disk.
 */
public final class GenerateStore {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("Usage: bench/generate-store.sh N DATA_DIR [SEED=1] [MIX=realistic|backlog]");
            System.exit(2);
        }
        int jobs = Integer.parseInt(args[0].replace("_", "").replace(",", ""));
        Path dir = Path.of(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        StoreGenerator.Mix mix = args.length > 3 && args[3].equals("backlog") ? StoreGenerator.Mix.backlog()
                : StoreGenerator.Mix.realistic();
        long step = Math.max(1, jobs / 10);
        long[] said = {0};
        StoreGenerator.Summary summary = StoreGenerator.generate(dir, jobs, seed, mix, written -> {
            if (written / step > said[0]) {
                said[0] = written / step;
                System.out.printf("  %,d jobs written%n", written);
            }
        });
        Path file = new DataDirectory(dir).databaseFile();
        long bytes = Files.size(file);
        double seconds = summary.took().toMillis() / 1000.0;
        System.out.printf("%,d jobs (%s), %,d e-mails, %,d attempts, %d recurring in %.1f s (%,.0f jobs/s);"
                        + " %s: %,.1f MB on disk, %,.1f MB per 100,000 e-mails%n", summary.jobs(), summary.jobsByState(),
                summary.emails(), summary.attempts(), summary.recurringJobs(), seconds, summary.jobs() / seconds, file, bytes / 1e6, bytes / 1e6 / summary.emails() * 100_000);
        // Written in minutes, the file holds every page each commit rewrote: H2 reuses a chunk's space only after its
        // retention time. A store written over days is compacted every 6 h by StoreCompaction (decision 26); this is
        // the size it comes to then. -Dbench.compact=false keeps the file as written.
        if (Boolean.parseBoolean(System.getProperty("bench.compact", "true"))) {
            long compactStart = System.nanoTime();
            String password = Files.readString(dir.resolve("db.password")).strip();
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                    "jdbc:h2:file:" + file.toString().replaceFirst("\\.mv\\.db$", ""), "jobdeck", password);
                 java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN COMPACT");
            }
            long compacted = Files.size(file);
            System.out.printf("compacted in %.1f s: %,.1f MB on disk, %,.1f MB per 100,000 e-mails%n",
                    (System.nanoTime() - compactStart) / 1e9, compacted / 1e6, compacted / 1e6 / summary.emails() * 100_000);
        }
    }
}
