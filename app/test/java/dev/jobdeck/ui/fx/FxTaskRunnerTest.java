package dev.jobdeck.ui.fx;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class FxTaskRunnerTest {

    /**
     * A view's timer (the Jobs screen's range, applied once typing pauses) can fire after the console closed its
     * runner; the work is dropped rather than thrown on the JavaFX thread.
     */
    @Test
    void workAskedForAfterCloseIsDroppedQuietly() throws Exception {
        FxTaskRunner runner = new FxTaskRunner(1);
        runner.close();
        AtomicBoolean ran = new AtomicBoolean();

        assertThatCode(() -> runner.run(() -> ran.getAndSet(true), result -> ran.set(true), problem -> ran.set(true)))
                .doesNotThrowAnyException();
        assertThat(ran).isFalse();
    }
}
