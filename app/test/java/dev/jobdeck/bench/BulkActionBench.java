package dev.jobdeck.bench;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.FailedJobs;
import dev.jobdeck.ui.ConsoleUi;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.navigation.AmountRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a unit test: {@code bench/bulk-action.sh} runs it (issue 16, decision 27). Requeues N failed jobs (default
 * 100,000) with "Act on all matching" on the console's Jobs screen, filtered to Failed and refreshing live, driven
 * through the screen's own controls (menu item, confirmation's OK button) on a headless Monocle JavaFX. Measures the
 * action's duration and the longest gap between two JavaFX pulses meanwhile (an AnimationTimer runs a frame on every
 * pulse), against the same console idle for 10 s. The baseline in the same run: JobRunr's own API on an identical
 * store without a UI, pages of 500 failed jobs by {@code getJobList(FAILED, …)}, each enqueued and saved; and
 * {@link BulkActions} itself without a UI on a third identical store, to tell its own cost from the UI's. No host
 * runs (the requeued jobs stay Enqueued), so the figures are the action's own. The failed jobs are made by
 * {@link FailedJobs} (outbox rows, then jobs saved through the StorageProvider in batches of 5,000), a stop-gap until
 * the store generator of issue 16's item 1 lands.
 */
public final class BulkActionBench {

    private static final long IDLE_MILLIS = 10_000;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.printf("jobs=%d heap_max=%d MB java=%s%n", n, Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));

        Path dir = Files.createTempDirectory("jobdeck-bench-bulk");
        ConsoleServices services = ConsoleServices.open(new DataDirectory(dir), ConsoleServices.Options.console());
        long g0 = System.nanoTime();
        FailedJobs.create(services, n, "example.org");
        System.out.printf("generated %d failed jobs in %.1f s%n", n, seconds(g0));

        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        ConsoleUi ui = new ConsoleUi(services);
        Stage stage = onFx(() -> {
            Stage window = new Stage();
            ui.show(window);
            ui.navigation().showJobs(Optional.of(JobState.FAILED));
            return window;
        });
        MenuButton act = (MenuButton) awaitNode(stage, "#actOnAllMatching");
        awaitTrue(() -> onFx(act::getText).equals("Act on all " + BulkActions.format(n) + " matching\u2026"), 120);

        PulseGaps gaps = new PulseGaps();
        onFx(() -> {
            gaps.start();
            return null;
        });
        Thread.sleep(IDLE_MILLIS);
        long idleCpuInGap = gaps.takeCpuInMaxMillis();
        long idleMaxCpu = gaps.takeMaxCpuMillis();
        long idleGap = gaps.takeMaxMillis();
        long idlePulses = gaps.takePulses();

        onFx(() -> {
            act.getItems().get(0).fire(); // Retry all matching…
            return null;
        });
        Button ok = (Button) awaitNodeInAnyWindow("#confirmBulkAction", 60);
        long t0 = System.nanoTime();
        gaps.takeCpuInMaxMillis();
        gaps.takeMaxCpuMillis();
        gaps.takeMaxMillis();
        gaps.takePulses();
        onFx(() -> {
            ok.fire();
            return null;
        });
        Label summary = (Label) awaitNode(stage, "#bulkSummary");
        awaitTrue(() -> onFx(summary::getText).contains("requeued of"), 1800);
        double bulkSeconds = seconds(t0);
        long busyCpuInGap = gaps.takeCpuInMaxMillis();
        long busyMaxCpu = gaps.takeMaxCpuMillis();
        long busyGap = gaps.takeMaxMillis();
        long busyPulses = gaps.takePulses();
        String said = onFx(summary::getText);
        onFx(() -> {
            gaps.stop();
            stage.hide();
            return null;
        });
        ui.close();
        long failedLeft = services.parts().queries().counts().of(JobState.FAILED);
        long enqueued = services.parts().queries().counts().of(JobState.ENQUEUED);
        services.close();

        Path coreDir = Files.createTempDirectory("jobdeck-bench-bulk-core");
        double coreSeconds;
        try (ConsoleServices core = ConsoleServices.open(new DataDirectory(coreDir), ConsoleServices.Options.console())) {
            FailedJobs.create(core, n, "example.org");
            long c0 = System.nanoTime();
            BulkActions.Plan plan = core.parts().bulkActions().plan(BulkActions.Action.RETRY,
                    dev.jobdeck.core.jobs.query.JobFilter.inState(JobState.FAILED));
            core.parts().bulkActions().run(plan, step -> { }, () -> false);
            coreSeconds = seconds(c0);
        }

        Path baseDir = Files.createTempDirectory("jobdeck-bench-bulk-baseline");
        double baselineSeconds;
        try (ConsoleServices baseline = ConsoleServices.open(new DataDirectory(baseDir), ConsoleServices.Options.console())) {
            FailedJobs.create(baseline, n, "example.org");
            StorageProvider storage = baseline.parts().engine().storage();
            long b0 = System.nanoTime();
            for (List<Job> page = storage.getJobList(StateName.FAILED, new AmountRequest("updatedAt:ASC", 500));
                 !page.isEmpty(); page = storage.getJobList(StateName.FAILED, new AmountRequest("updatedAt:ASC", 500))) {
                page.forEach(Job::enqueue);
                storage.save(page);
            }
            baselineSeconds = seconds(b0);
        }
        Platform.exit();
        for (Path store : List.of(dir, coreDir, baseDir)) {
            deleteQuietly(store);
        }

        System.out.println("summary: " + said);
        System.out.printf("after: failed=%d enqueued=%d%n", failedLeft, enqueued);
        System.out.printf("act_on_all_matching_requeue=%.1f s (%.0f jobs/s) same_without_ui=%.1f s"
                        + " jobrunr_api_baseline=%.1f s ratio_ui=%.2f ratio_without_ui=%.2f%n",
                bulkSeconds, n / bulkSeconds, coreSeconds, baselineSeconds, bulkSeconds / baselineSeconds,
                coreSeconds / baselineSeconds);
        System.out.printf("longest_pulse_gap_during=%d ms (fx thread ran %d ms of it; %d pulses in %.1f s; most fx cpu"
                        + " between two pulses %d ms) idle_console=%d ms (fx thread ran %d ms of it; %d pulses in %d s;"
                        + " most fx cpu between two pulses %d ms)%n",
                busyGap, busyCpuInGap, busyPulses, bulkSeconds, busyMaxCpu, idleGap, idleCpuInGap, idlePulses,
                IDLE_MILLIS / 1000, idleMaxCpu);
        System.out.printf("load_average_at_end=%.1f on %d cores%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        System.exit(0);
    }

    /**
     * The longest time between two pulses, from an AnimationTimer (it runs on every pulse while started), and how much
     * of it the JavaFX thread spent running (its CPU time): a long gap with little CPU is the thread waiting for a core
     * (the machine is shared), a long gap full of CPU is work on the JavaFX thread.
     */
    private static final class PulseGaps extends AnimationTimer {
        private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
        private long last;
        private long lastCpu;
        private final AtomicLong maxNanos = new AtomicLong();
        private final AtomicLong cpuInMaxNanos = new AtomicLong();
        private final AtomicLong maxCpuNanos = new AtomicLong();
        private final AtomicLong pulses = new AtomicLong();

        @Override
        public void handle(long now) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            if (last != 0) {
                long gap = now - last;
                if (gap > maxNanos.get()) {
                    maxNanos.set(gap);
                    cpuInMaxNanos.set(cpu - lastCpu);
                }
                maxCpuNanos.accumulateAndGet(cpu - lastCpu, Math::max);
            }
            last = now;
            lastCpu = cpu;
            pulses.incrementAndGet();
        }

        long takeMaxMillis() {
            return maxNanos.getAndSet(0) / 1_000_000;
        }

        /** The JavaFX thread's CPU time within the longest gap. */
        long takeCpuInMaxMillis() {
            return cpuInMaxNanos.getAndSet(0) / 1_000_000;
        }

        /** The most CPU the JavaFX thread used between two pulses. */
        long takeMaxCpuMillis() {
            return maxCpuNanos.getAndSet(0) / 1_000_000;
        }

        long takePulses() {
            return pulses.getAndSet(0);
        }
    }

    /** The three generated stores are a few hundred MB each at 100,000 jobs: not left in the temp directory. */
    private static void deleteQuietly(Path store) {
        try (java.util.stream.Stream<Path> files = Files.walk(store)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("Could not delete " + store + ": " + e.getMessage());
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }

    private static Node awaitNode(Stage stage, String id) throws Exception {
        for (int i = 0; i < 600; i++) {
            Node node = onFx(() -> stage.getScene() == null ? null : stage.getScene().lookup(id));
            if (node != null) {
                return node;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("No " + id + " after a minute");
    }

    private static Node awaitNodeInAnyWindow(String id, int seconds) throws Exception {
        for (int i = 0; i < seconds * 10; i++) {
            Node node = onFx(() -> Window.getWindows().stream().filter(window -> window.getScene() != null)
                    .map(window -> window.getScene().lookup(id)).filter(found -> found != null).findFirst().orElse(null));
            if (node != null) {
                return node;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("No " + id + " after " + seconds + " s");
    }

    private static void awaitTrue(Condition condition, int seconds) throws Exception {
        for (int i = 0; i < seconds * 10; i++) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Not true after " + seconds + " s");
    }

    @FunctionalInterface
    private interface Condition {
        boolean get() throws Exception;
    }
}
