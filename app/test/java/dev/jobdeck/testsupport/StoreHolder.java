package dev.jobdeck.testsupport;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM that opens a data directory the way a script does ({@code status}, {@code report} when no console
 * runs: it owns the file), says {@link #READY}, holds it until a line arrives on standard input, then closes it.
 */
public final class StoreHolder {

    public static final String READY = "holding the store";

    private StoreHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (ConsoleServices script = ConsoleServices.open(new DataDirectory(Path.of(args[0])),
                ConsoleServices.Options.storeOnly())) {
            System.out.println(READY + (script.ownsStore() ? "" : " through a console"));
            System.out.flush();
            System.in.read();
        }
    }

    public static Process start(Path log, Path dataDir) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), StoreHolder.class.getName(),
                dataDir.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }
}
