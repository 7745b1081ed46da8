package dev.jobdeck.testsupport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/**
 * Every {@code await()} of the test JVM checks its condition at once, then every poll interval. Awaitility's own default
 * with a fixed interval is to wait one interval before the first check (its {@code definePollDelay}), so a wait for
 * something already true still cost 100 ms, or 200 ms where a test polls at that; a test that awaits each of a hundred
 * jobs paid that a hundred times. Registered for every test class through JUnit's extension auto-detection
 * ({@code junit-platform.properties}, {@code META-INF/services}); a test that wants a first delay says {@code pollDelay}.
 */
public final class AwaitAtOnce implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }
}
