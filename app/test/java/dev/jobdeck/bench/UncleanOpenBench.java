package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreIndexes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a test: {@code bench/unclean-open.sh [--full-rebuild] DATA_DIR...} runs it. For each data directory (a generated
 * store, see {@code bench/generate-store.sh}): a console's open after a clean close, then its open after an unclean
 * shutdown ({@code store.inUse} left set, as a {@code kill -9} leaves it), and the ratio of the two. With {@code
 * --full-rebuild}, also what the old repair added to that open: dropping and recreating every secondary index.
 */
public final class UncleanOpenBench {

    public static void main(String[] args) throws Exception {
        boolean fullRebuild = args.length > 0 && args[0].equals("--full-rebuild");
        List<Path> dirs = Stream.of(args).filter(a -> !a.startsWith("--")).map(Path::of).toList();
        if (dirs.isEmpty()) {
            System.err.println("Usage: bench/unclean-open.sh [--full-rebuild] DATA_DIR...");
            System.exit(2);
        }
        System.out.println("| store | jobs | clean open | open after an unclean shutdown | ratio |"
                + (fullRebuild ? " rebuilding every index |" : ""));
        for (Path dir : dirs) {
            open(dir); // warm-up: the file in the OS cache as after any earlier open
            double clean = open(dir);
            markInUse(dir);
            double unclean = open(dir);
            String row = String.format("| %s | %,d | %.1f s | %.1f s | %.2f |", dir.getFileName(), jobs(dir), clean,
                    unclean, unclean / clean);
            if (fullRebuild) {
                row += String.format(" %.1f s |", rebuildEveryIndex(dir));
            }
            System.out.println(row);
        }
    }

    /** Seconds until a console's services are open (as the probe of decision 24 measured it); closes them cleanly. */
    private static double open(Path dir) throws Exception {
        ConsoleServices.Options console = ConsoleServices.Options.console();
        ConsoleServices.Options options = new ConsoleServices.Options(console.role(), false, 0, console.engine(),
                console.clock());
        long start = System.nanoTime();
        try (ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), options)) {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static Connection connect(Path dir) throws Exception {
        String password = Files.readString(dir.resolve("db.password")).strip();
        return DriverManager.getConnection("jdbc:h2:" + dir.toAbsolutePath() + "/jobdeck", "jobdeck", password);
    }

    /** Leaves {@code store.inUse} set behind a clean close, as a {@code kill -9} leaves it. */
    private static void markInUse(Path dir) throws Exception {
        try (Connection connection = connect(dir); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE jd_setting SET setting_value = 'true' WHERE name = 'store.inUse'");
        }
    }

    private static long jobs(Path dir) throws Exception {
        try (Connection connection = connect(dir); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM jobrunr_jobs")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The old repair's work (decision 4 before the addendum): drop and recreate every secondary index; seconds. */
    private static double rebuildEveryIndex(Path dir) throws Exception {
        try (Connection connection = connect(dir); Statement statement = connection.createStatement()) {
            List<StoreIndexes.Index> indexes = StoreIndexes.all(connection);
            long start = System.nanoTime();
            for (StoreIndexes.Index index : indexes) {
                statement.execute(index.dropStatement());
                statement.execute(index.createStatement());
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
