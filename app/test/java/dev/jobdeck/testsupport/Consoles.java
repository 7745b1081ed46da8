package dev.jobdeck.testsupport;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreException;
import org.jobrunr.jobs.states.StateName;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** Shared builders and waits for tests that run a real console: H2 in a temp dir, real JobRunr, real sink. */
public final class Consoles {

    /** JobRunr polls every 5 s; a few polls plus SMTP round trips on a busy 2-core CI machine. */
    public static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    private Consoles() {
    }

    public static ConsoleServices open(Path dir) throws StoreException {
        return ConsoleServices.open(new DataDirectory(dir), ConsoleServices.Options.console());
    }

    public static SendRequest email(String to) {
        return new SendRequest("sender@jobdeck.test", to, "", "", "Hello", "Body text", When.now());
    }

    public static void awaitState(ConsoleServices services, UUID jobId, StateName state) {
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> stateOf(services, jobId) == state);
    }

    public static void awaitCount(ConsoleServices services, JobState state, long count) {
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> services.parts().queries().counts().of(state) == count);
    }

    public static StateName stateOf(ConsoleServices services, UUID jobId) {
        return services.parts().engine().storage().getJobById(jobId).getState();
    }

    public static long total(ConsoleServices services) throws SQLException {
        return services.parts().queries().counts().total();
    }
}
