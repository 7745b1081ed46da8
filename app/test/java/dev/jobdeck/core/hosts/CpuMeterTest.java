package dev.jobdeck.core.hosts;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class CpuMeterTest {

    @Test
    void aBusyThreadShowsAsAboutOneCoreAndAnIdleProcessAsLittle() throws Exception {
        CpuMeter meter = new CpuMeter();
        ProcessHandle self = ProcessHandle.current();
        assertThat(meter.percentOfOneCore(self)).isPresent();

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
        Thread.sleep(1_000);
        double withSpinner = meter.percentOfOneCore(self).orElseThrow();
        spin.set(false);
        busy.join();

        // One spinning thread keeps one core busy; a shared 2-core CI machine may give it less, never zero.
        assertThat(withSpinner).isGreaterThan(20).isLessThan(100.0 * Runtime.getRuntime().availableProcessors() + 50);
    }
}
