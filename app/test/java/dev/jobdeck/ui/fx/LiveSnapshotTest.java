package dev.jobdeck.ui.fx;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LiveSnapshotTest {

    private final Refresher refresher = new Refresher();
    /** The UI thread of these tests: tasks wait here until the test runs them, as runLater's would between frames. */
    private final ConcurrentLinkedQueue<Runnable> uiTasks = new ConcurrentLinkedQueue<>();

    @AfterEach
    void close() {
        refresher.close();
    }

    private void runUiTasks() {
        for (Runnable task; (task = uiTasks.poll()) != null; ) {
            task.run();
        }
    }

    @Test
    void readsOffTheCallingThreadAndAppliesOnTheUiExecutor() {
        List<String> readThreads = new CopyOnWriteArrayList<>();
        List<Integer> applied = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        LiveSnapshot<Integer> live = new LiveSnapshot<>(LiveSnapshot.MIN_PERIOD_MILLIS, () -> {
            readThreads.add(Thread.currentThread().getName());
            return reads.incrementAndGet();
        }, applied::add);

        live.start(refresher, uiTasks::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() >= 2);

        assertThat(applied).as("nothing applied before the UI thread runs").isEmpty();
        assertThat(readThreads).allSatisfy(name -> assertThat(name).startsWith("jobdeck-ui-refresh-"));
        runUiTasks();
        assertThat(applied).isNotEmpty();
    }

    @Test
    void readsBetweenTwoUiTurnsAreAppliedOnceWithTheNewest() {
        AtomicInteger reads = new AtomicInteger();
        List<Integer> applied = new CopyOnWriteArrayList<>();
        LiveSnapshot<Integer> live = new LiveSnapshot<>(LiveSnapshot.MIN_PERIOD_MILLIS, reads::incrementAndGet, applied::add);

        live.start(refresher, uiTasks::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() >= 4);

        assertThat(uiTasks).as("one pending UI task for four reads").hasSize(1);
        uiTasks.poll().run();
        live.stop();
        assertThat(applied).hasSize(1);
        assertThat(applied.get(0)).as("the newest read, not the first").isGreaterThanOrEqualTo(3);
    }

    @Test
    void stopEndsTheReadsAndStartAgainResumesThem() {
        AtomicInteger reads = new AtomicInteger();
        LiveSnapshot<Integer> live = new LiveSnapshot<>(LiveSnapshot.MIN_PERIOD_MILLIS, reads::incrementAndGet, n -> { });
        live.start(refresher, Runnable::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() >= 1);

        live.stop();
        int atStop = reads.get();
        // Another live read on the same refresher ticks three times: long enough for the stopped one to have ticked.
        AtomicInteger other = new AtomicInteger();
        LiveSnapshot<Integer> witness = new LiveSnapshot<>(LiveSnapshot.MIN_PERIOD_MILLIS, other::incrementAndGet, n -> { });
        witness.start(refresher, Runnable::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> other.get() >= 3);

        assertThat(live.isRunning()).isFalse();
        assertThat(reads.get()).as("at most the read in progress at stop").isLessThanOrEqualTo(atStop + 1);
        live.start(refresher, Runnable::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > atStop + 1);
    }

    @Test
    void startWhileRunningKeepsOneSchedule() {
        LiveSnapshot<Integer> live = new LiveSnapshot<>(LiveSnapshot.MIN_PERIOD_MILLIS, () -> 1, n -> { });
        live.start(refresher, uiTasks::add);
        live.start(refresher, uiTasks::add);
        live.stop();

        assertThat(live.isRunning()).isFalse();
    }

    @Test
    void aNullReadIsNotApplied() {
        AtomicInteger reads = new AtomicInteger();
        List<Integer> applied = new CopyOnWriteArrayList<>();
        LiveSnapshot<Integer> live = new LiveSnapshot<>(LiveSnapshot.MIN_PERIOD_MILLIS,
                () -> reads.incrementAndGet() < 3 ? null : reads.get(), applied::add);

        live.start(refresher, Runnable::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> !applied.isEmpty());
        live.stop();

        assertThat(applied.get(0)).isEqualTo(3);
        assertThat(applied).doesNotContainNull();
    }

    @Test
    void aPeriodUnderATenthOfASecondIsRefused() {
        assertThatThrownBy(() -> new LiveSnapshot<>(99, () -> 1, n -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A live read's period is at least 100 ms, not 99 ms");
    }
}
