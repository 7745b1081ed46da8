package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.Consoles;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static dev.jobdeck.testsupport.Consoles.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/** Deleting a recurring job takes its template rows in the outbox with it. */
class RecurringDeleteTest {

    @TempDir
    Path temp;

    private ConsoleServices services;

    @AfterEach
    void close() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void deletingARecurringJobDeletesItsTemplate() throws Exception {
        services = Consoles.open(temp);
        QueueResult cron = services.parts().queue().queue(new SendRequest("s@jobdeck.test", "a@example.org, b@example.org", "",
                "", "Daily", "", new When.Cron("0 9 * * *")));
        String deleted = cron.recurringJobIds().get(0);
        String kept = cron.recurringJobIds().get(1);

        services.parts().commands().deleteRecurring(deleted);

        assertThat(services.parts().outbox().templateOf(deleted)).isEmpty();
        assertThat(services.parts().outbox().templateOf(kept)).isPresent();
        assertThat(services.parts().queries().recurring()).extracting(RecurringEmail::id).containsExactly(kept);
    }

    @Test
    void aRunQueuedButNotStartedBeforeTheDeleteIsDeletedWithItAndSendsNothing() throws Exception {
        services = Consoles.open(temp);
        QueueResult cron = services.parts().queue().queue(new SendRequest("s@jobdeck.test", "a@example.org", "", "", "Daily", "",
                new When.Cron("0 9 * * *")));
        String id = cron.recurringJobIds().get(0);
        UUID run = services.parts().commands().triggerNow(id);

        assertThat(services.parts().commands().deleteRecurring(id)).isEqualTo(1);
        services.startHost();

        // Deleted with the reason, not Failed for want of its template (it used to fail "not in the outbox").
        awaitState(services, run, StateName.DELETED);
        assertThat(services.parts().queries().detail(run).orElseThrow().history()).last()
                .satisfies(state -> assertThat(state.note()).isEqualTo("Its recurring job " + id + " was deleted"));
        assertThat(services.sink().orElseThrow().messageCount()).isZero();
    }
}
