package dev.jobdeck.core.hosts;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU use of local host processes as {@code top} shows it (100 % = one core busy), from the CPU time the
 * operating system has charged each process between two readings. JobRunr's own figure (the JVM's
 * ProcessCpuLoad, sent with each heartbeat) is relative to the whole machine and reads 100 % while a JVM warms up.
 */
final class CpuMeter {

    private record Reading(long cpuNanos, long wallNanos) {
    }

    private final Map<Long, Reading> last = new ConcurrentHashMap<>();

    /**
     * The share of one core the process used since the previous reading (at least 200 ms ago), or on its first
     * reading over its whole life so far.
     */
    Optional<Double> percentOfOneCore(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        Optional<Duration> cpu = info.totalCpuDuration();
        if (cpu.isEmpty()) {
            return Optional.empty();
        }
        Reading now = new Reading(cpu.get().toNanos(), System.nanoTime());
        Reading before = last.get(process.pid());
        if (before != null && now.wallNanos() - before.wallNanos() >= 200_000_000L) {
            last.put(process.pid(), now);
            return Optional.of(percent(now.cpuNanos() - before.cpuNanos(), now.wallNanos() - before.wallNanos()));
        }
        if (before == null) {
            last.put(process.pid(), now);
        }
        return info.startInstant().map(start -> percent(now.cpuNanos(),
                Math.max(1, Duration.between(start, Instant.now()).toNanos())));
    }

    private static double percent(long cpuNanos, long wallNanos) {
        return Math.max(0, (double) cpuNanos / wallNanos) * 100;
    }
}
