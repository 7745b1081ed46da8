import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.store.DataDirectory;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Used by installers/check: queues one e-mail due in an hour into a data directory, through the
 * installed jars (run it with them on the class path), so the check can prove that a package upgrade
 * keeps a job that is still waiting. Prints the job id.
 */
public final class QueueLater {

    public static void main(String[] args) throws Exception {
        DataDirectory directory = new DataDirectory(Path.of(args[0]));
        try (ConsoleServices services = ConsoleServices.open(directory, ConsoleServices.Options.storeOnly())) {
            var result = services.parts().queue().queue(new SendRequest("jobdeck@localhost", "later@example.com", "", "",
                    "Kept across an upgrade", "Queued before the package was upgraded.",
                    new When.After(Duration.ofHours(1))));
            System.out.println(result.jobIds().get(0));
        }
    }
}
