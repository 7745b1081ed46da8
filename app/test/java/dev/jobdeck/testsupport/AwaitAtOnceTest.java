package dev.jobdeck.testsupport;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** AwaitAtOnce is on for every test class, without the class asking for it. */
class AwaitAtOnceTest {

    @Test
    void anAwaitChecksItsConditionBeforeItsFirstPollInterval() {
        AtomicInteger checks = new AtomicInteger();

        // Awaitility's own default waits one interval (here longer than atMost, which it refuses) before the first check.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofHours(1)).until(() -> checks.incrementAndGet() > 0);

        assertThat(checks).hasValue(1);
    }
}
