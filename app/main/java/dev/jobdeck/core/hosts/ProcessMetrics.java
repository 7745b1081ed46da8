package dev.jobdeck.core.hosts;

import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

import java.util.Optional;

/**
 * What the operating system says about a local process: its resident memory, through OSHI on Linux, macOS and
 * Windows alike (decision 49). One per supervisor: OSHI's view of the operating system is made once.
 */
final class ProcessMetrics {

    private final OperatingSystem system = new SystemInfo().getOperatingSystem();

    /** Empty when the process has ended or the operating system does not tell. */
    Optional<Long> residentBytes(long pid) {
        try {
            OSProcess process = system.getProcess((int) pid);
            // OSHI gives 0 where it cannot read the figure (a process of another user on Windows).
            return process == null || process.getResidentSetSize() <= 0 ? Optional.empty()
                    : Optional.of(process.getResidentSetSize());
        } catch (RuntimeException e) {
            // The process ended while OSHI read it; unknown is the honest answer.
            return Optional.empty();
        }
    }
}
