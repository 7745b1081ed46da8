package dev.jobdeck.core.hosts;

import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts worker hosts as child JVMs running {@code jobdeck worker}, with the same class path as this process
 * (or, in an installed app whose runtime has no {@code java} command, the app's own launcher). A worker writes its
 * log into the data directory's log file itself, status lines included, so its stdout is dropped; what it writes to
 * stderr (its one-sentence errors, and whatever the JVM says when it cannot start) is copied into this process's log,
 * line by line (docs/decisions/0018-one-log-file-per-data-directory.md).
 */
public final class WorkerLauncher {

    /** Rough resident size of one worker JVM (heap capped below), used to tell how many the machine holds. */
    static final long BYTES_PER_WORKER = 384L * 1024 * 1024;
    private static final String MAIN_CLASS = "dev.jobdeck.cli.Main";
    private static final System.Logger LOG = System.getLogger(WorkerLauncher.class.getName());

    private final List<String> command;
    private final DataDirectory directory;
    private final int capacity;
    /** One thread per running worker, reading its stderr until it exits. */
    private final ExecutorService stderrReaders = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "jobdeck-host-stderr");
        thread.setDaemon(true);
        return thread;
    });

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
            command.addAll(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
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
        Process process = new ProcessBuilder(arguments)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        stderrReaders.execute(() -> copyToLog(name, process));
        return process;
    }

    /**
     * Whether a live process may be one of this data directory's workers: one whose command line names another data
     * directory is not (a copy of a data directory lists the original's workers; adopting them would stop them when
     * this console closes). A command line the system does not show, or one without an absolute {@code --data-dir}, is
     * given the benefit of the doubt.
     */
    public boolean mayServe(ProcessHandle process) {
        return argumentsOf(process).map(arguments -> {
            for (int i = 0; i + 1 < arguments.length; i++) {
                if (!arguments[i].equals("--data-dir")) {
                    continue;
                }
                Path named = Path.of(arguments[i + 1]);
                // A relative one depends on the process's working directory, which the system does not tell.
                return !named.isAbsolute() || new DataDirectory(named).path().equals(directory.path());
            }
            return true;
        }).orElse(true);
    }

    /**
     * A process's arguments. On Linux from {@code /proc/PID/cmdline}, whole: {@link ProcessHandle.Info#arguments} gives
     * up on a command line past a page (a worker with a long class path), and {@code commandLine()} cuts it there.
     */
    private static Optional<String[]> argumentsOf(ProcessHandle process) {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                String[] all = Files.readString(cmdline, StandardCharsets.UTF_8).split("\0");
                return Optional.of(java.util.Arrays.copyOfRange(all, Math.min(1, all.length), all.length));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cannot read " + cmdline + ": " + e.getMessage());
        }
        return process.info().arguments();
    }

    private static void copyToLog(String name, Process process) {
        try (BufferedReader stderr = process.errorReader(StandardCharsets.UTF_8)) {
            for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
                LOG.log(System.Logger.Level.WARNING, "Host {0} (pid {1}) on stderr: {2}", name, Long.toString(process.pid()), line);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Stopped reading the stderr of host " + name, e);
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().contains("win");
    }
}
