package dev.jobdeck.core.settings;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshedTest {

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-11-26T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private final AtomicInteger stored = new AtomicInteger(1);
    private final AtomicInteger reads = new AtomicInteger();
    private final List<Exception> failures = new ArrayList<>();

    private Refreshed<Integer> refreshed() {
        return Refreshed.readAlready(stored.get(), () -> {
            reads.incrementAndGet();
            if (stored.get() < 0) {
                throw new IllegalStateException("store unreachable");
            }
            return stored.get();
        }, Duration.ofSeconds(5), clock, failures::add);
    }

    @Test
    void readsTheStoreAgainOnlyOnceTheValueIsMaxAgeOld() {
        Refreshed<Integer> value = refreshed();
        stored.set(2);

        clock.advance(Duration.ofSeconds(4));
        assertThat(value.get()).isEqualTo(1);
        assertThat(reads).hasValue(0);

        clock.advance(Duration.ofSeconds(1));
        assertThat(value.get()).isEqualTo(2);
        assertThat(value.get()).isEqualTo(2);
        assertThat(reads).hasValue(1);
    }

    @Test
    void keepsTheLastValueWhenTheStoreCannotBeReadAndTriesAgainLater() {
        Refreshed<Integer> value = refreshed();
        stored.set(-1);

        clock.advance(Duration.ofSeconds(5));
        assertThat(value.get()).isEqualTo(1);
        assertThat(failures).singleElement().extracting(Exception::getMessage).isEqualTo("store unreachable");

        stored.set(3);
        assertThat(value.get()).as("not before another 5 s").isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        assertThat(value.get()).isEqualTo(3);
    }

    @Test
    void onFirstUseReadsWhatWasSavedBeforeTheFirstGetAndFallsBackUntilAReadSucceeds() {
        Refreshed<Integer> value = Refreshed.onFirstUse(0, () -> {
            reads.incrementAndGet();
            if (stored.get() < 0) {
                throw new IllegalStateException("store unreachable");
            }
            return stored.get();
        }, Duration.ofSeconds(5), clock, failures::add);
        stored.set(-1);
        assertThat(value.get()).as("the stand-in").isZero();

        stored.set(4);
        clock.advance(Duration.ofSeconds(5));
        assertThat(value.get()).isEqualTo(4);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aValueThisProcessSavedIsInForceAtOnceAndCountsAsRead() {
        Refreshed<Integer> value = refreshed();
        clock.advance(Duration.ofSeconds(4));

        value.set(7);
        clock.advance(Duration.ofSeconds(4));

        assertThat(value.get()).isEqualTo(7);
        assertThat(value.last()).isEqualTo(7);
        assertThat(reads).hasValue(0);
    }
}
