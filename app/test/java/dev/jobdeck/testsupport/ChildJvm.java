package dev.jobdeck.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@code jobdeck} sub-commands in a real child JVM with this test's class path. */
public final class ChildJvm {

    private ChildJvm() {
    }

    public static Process start(Path log, String... arguments) throws IOException {
        return start(log, List.of(), arguments);
    }

    /** Like {@link #start(Path, String...)}, with {@code jvmOptions} ({@code -Dkey=value}) before the main class. */
    public static Process start(Path log, List<String> jvmOptions, String... arguments) throws IOException {
        return new ProcessBuilder(command(jvmOptions, arguments)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * Like {@link #start(Path, String...)}, the java command line put after {@code prefix}: e.g. {@code ip netns exec NS}
     * ({@link NetworkNamespace#command(List)}) to run the JVM in another network namespace. The prefix must exec
     * the JVM, so the process's pid is the JVM's and {@code destroyForcibly} is its {@code kill -9}.
     */
    public static Process startPrefixed(List<String> prefix, Path log, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(command(List.of(), arguments));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** What a finished command printed, stdout and stderr apart, as a terminal would show them. */
    public record Finished(int exitCode, String out, String err) {
    }

    /**
     * Runs a command to its end (at most two minutes) with its stdout and stderr kept apart in {@code folder}.
     * {@code jvmOptions} go before the main class ({@code -Dkey=value}).
     */
    public static Finished run(Path folder, List<String> jvmOptions, String... arguments)
            throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Path out = Files.createTempFile(folder, "out", ".txt");
        Path err = Files.createTempFile(folder, "err", ".txt");
        Process process = new ProcessBuilder(command(jvmOptions, arguments)).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("jobdeck " + String.join(" ", arguments) + " did not finish in two minutes; "
                    + "stderr: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Finished(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> command(List<String> jvmOptions, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.jobdeck.cli.Main"));
        command.addAll(List.of(arguments));
        return command;
    }
}
