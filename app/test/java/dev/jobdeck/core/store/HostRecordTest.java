package dev.jobdeck.core.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class HostRecordTest {

    private final ProcessHandle self = ProcessHandle.current();
    private final Instant selfStarted = self.info().startInstant().orElseThrow();

    @Test
    void aLiveProcessThatStartedBeforeTheHostWasRecordedIsTheHost() {
        HostRecord record = HostRecord.started(UUID.randomUUID(), "w1", HostRecord.Kind.WORKER, self.pid(), 4,
                selfStarted.plusSeconds(3));
        assertThat(record.process()).contains(self);
    }

    /** The pid of a host that died long ago now belongs to another process: never adopt it, stop it or kill it. */
    @Test
    void aProcessThatStartedAfterTheHostWasRecordedIsNotTheHost() {
        HostRecord record = HostRecord.started(UUID.randomUUID(), "w1", HostRecord.Kind.WORKER, self.pid(), 4,
                selfStarted.minus(Duration.ofHours(1)));
        assertThat(record.process()).isEmpty();
    }
}
