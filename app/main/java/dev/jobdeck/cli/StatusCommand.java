package dev.jobdeck.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.JobCounts;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code jobdeck status [--json]}: jobs per state, read straight from the store. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the number of jobs per state. Exit codes: 0 ok, 2 no data directory, 3 in use, 4 unreadable.")
final class StatusCommand implements Callable<Integer> {

    static final int NO_DATA = 2;
    static final int LOCKED = 3;
    static final int UNREADABLE = 4;

    @ParentCommand
    Main parent;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $JOBDECK_HOME or ~/.jobdeck).")
    Path dataDir;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        Optional<Path> option = Optional.ofNullable(dataDir).or(() -> Optional.ofNullable(parent == null ? null : parent.dataDir));
        DataDirectory directory = DataDirectory.resolve(option, System.getenv(), Path.of(System.getProperty("user.home")));
        if (!directory.exists()) {
            err.println("jobdeck status: no JobDeck data in " + directory.path()
                    + " (the directory or its database does not exist). Pass --data-dir DIR or set JOBDECK_HOME.");
            return NO_DATA;
        }
        JobCounts counts;
        try (ConsoleServices services = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
            counts = services.queries().counts();
        } catch (DataDirectoryLockedException e) {
            err.println("jobdeck status: " + e.getMessage());
            return LOCKED;
        } catch (StoreException | SQLException e) {
            err.println("jobdeck status: " + e.getMessage());
            return UNREADABLE;
        }
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("dataDir", directory.path().toString());
            document.put("counts", counts.asNamedMap());
            document.put("total", counts.total());
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
        } else {
            out.println("JobDeck data in " + directory.path());
            counts.asNamedMap().forEach((state, count) -> out.printf("  %-11s %8d%n", state, count));
        }
        return 0;
    }
}
