package dev.jobdeck.core.hosts;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class CpuMeterTest {

    /**
     * The meter's figure is checked against what the spinning thread was measured to use in the same interval (its own
     * CPU time over the wall time between the two readings), not against a fixed share: on a loaded 2-core machine a
     * spinning thread may get far less than one core, and the meter must still show at least what it got.
     */
    @Test
    void aBusyThreadShowsAtLeastTheCpuItWasMeasuredToUse() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CpuMeter meter = new CpuMeter();
        ProcessHandle self = ProcessHandle.current();
        AtomicBoolean spin = new AtomicBoolean(true);
        Thread busy = new Thread(() -> {
            long x = 0;
            while (spin.get()) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        });
        busy.start();
        try {
            long cpuBefore = threads.getThreadCpuTime(busy.getId());
            long wallBefore = System.nanoTime();
            assertThat(meter.percentOfOneCore(self)).as("the first reading (over the process's life)").isPresent();
            // At least 300 ms of the spinner's own CPU, however long the machine takes to give it that.
            while (threads.getThreadCpuTime(busy.getId()) - cpuBefore < 300_000_000L
                    || System.nanoTime() - wallBefore < 500_000_000L) {
                Thread.sleep(50);
            }
            long spinnerCpu = threads.getThreadCpuTime(busy.getId()) - cpuBefore;
            double withSpinner = meter.percentOfOneCore(self).orElseThrow();
            long wall = System.nanoTime() - wallBefore;

            double spinnerShare = 100.0 * spinnerCpu / wall;
            assertThat(withSpinner).as("the process's share of one core, the spinner alone having had %.0f %%", spinnerShare)
                    .isGreaterThanOrEqualTo(spinnerShare * 0.9)
                    .isLessThan(100.0 * Runtime.getRuntime().availableProcessors() + 50);
        } finally {
            spin.set(false);
            busy.join();
        }
    }
}
