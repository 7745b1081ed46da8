package dev.jobdeck.core.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the operating system says about a local process: resident memory, read from {@code /proc} on Linux. */
final class ProcessMetrics {

    private ProcessMetrics() {
    }

    static Optional<Long> residentBytes(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Optional.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process ended while we read; unknown is the honest answer.
        }
        return Optional.empty();
    }
}
