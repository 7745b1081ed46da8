package dev.jobdeck.core.hosts;

import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Starts worker hosts as child JVMs running {@code jobdeck worker}, with the same class path as this process
 * (or, in an installed app whose runtime has no {@code java} command, the app's own launcher). Each worker's
 * output goes to {@code logs/NAME.log} in the data directory.
 */
public final class WorkerLauncher {

    /** Rough resident size of one worker JVM (heap capped below), used to tell how many the machine holds. */
    static final long BYTES_PER_WORKER = 320L * 1024 * 1024;
    private static final String MAIN_CLASS = "dev.jobdeck.cli.Main";

    private final List<String> command;
    private final DataDirectory directory;
    private final int capacity;

    WorkerLauncher(List<String> command, DataDirectory directory, int capacity) {
        this.command = List.copyOf(command);
        this.directory = directory;
        this.capacity = capacity;
    }

    /** Launches workers with this JVM's runtime and class path. */
    public static WorkerLauncher sameJvm(DataDirectory directory) {
        Path java = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(java)) {
            command.addAll(List.of(java.toString(), "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), MAIN_CLASS));
        } else {
            // jpackage strips bin/java from the runtime it bundles; its launcher takes the same arguments.
            command.add(ProcessHandle.current().info().command().orElse("jobdeck"));
        }
        return new WorkerLauncher(command, directory, machineCapacity());
    }

    /** How many worker JVMs this machine can hold: half its memory, and four per core, whichever is lower. */
    static int machineCapacity() {
        long memory = Runtime.getRuntime().maxMemory() * 4;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        long byMemory = Math.max(1, memory / 2 / BYTES_PER_WORKER);
        long byCores = 4L * Runtime.getRuntime().availableProcessors();
        return (int) Math.max(1, Math.min(32, Math.min(byMemory, byCores)));
    }

    public int capacity() {
        return capacity;
    }

    /** Starts {@code jobdeck worker} for a host the console has chosen the id and name of. */
    public Process launch(UUID id, String name, int workers, HostRecord.Kind kind) throws IOException {
        List<String> arguments = new ArrayList<>(command);
        arguments.addAll(List.of("worker", "--data-dir", directory.path().toString(), "--name", name,
                "--host-id", id.toString(), "--workers", Integer.toString(workers)));
        if (kind == HostRecord.Kind.IN_MEMORY) {
            arguments.add("--in-memory");
        }
        Path logs = directory.path().resolve("logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        return new ProcessBuilder(arguments)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    public Path logOf(String name) {
        return directory.path().resolve("logs").resolve(name + ".log");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().contains("win");
    }
}
