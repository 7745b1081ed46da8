package dev.jobdeck.core.hosts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class ProcessMetricsTest {

    private final ProcessMetrics metrics = new ProcessMetrics();

    @Test
    @EnabledOnOs(OS.LINUX)
    void residentMemoryIsWhatProcSaysOnLinux() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            // OSHI reads /proc/PID/stat, whose figure the kernel may keep behind /proc/PID/status's by up to 64 pages a
            // thread (proc(5): "inaccurate"); once sleep has loaded and gone to sleep the two agree within that.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                long slack = 64 * 4096L * statusField(sleeper.pid(), "Threads:");
                long fromProc = statusField(sleeper.pid(), "VmRSS:") * 1024;
                assertThat(metrics.residentBytes(sleeper.pid())).hasValueSatisfying(
                        bytes -> assertThat(bytes).isCloseTo(fromProc, within(slack)));
            });
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void aRunningProcessHasResidentMemory() {
        assertThat(metrics.residentBytes(ProcessHandle.current().pid())).hasValueSatisfying(
                bytes -> assertThat(bytes).isGreaterThan(1024 * 1024));
    }

    @Test
    void anEndedProcessHasNone() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        assertThat(metrics.residentBytes(ended.pid())).isEmpty();
    }

    /** A number from /proc/PID/status, such as {@code VmRSS:} in kB. */
    private static long statusField(long pid, String name) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith(name))
                .map(line -> Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]))
                .findFirst().orElseThrow();
    }
}
