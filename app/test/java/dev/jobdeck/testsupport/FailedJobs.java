package dev.jobdeck.testsupport;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.EmailJob;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.jobdeck.core.store.OutboxEmail;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Many failed single e-mail jobs, fast: outbox rows, then jobs saved in batches through JobRunr's
 * {@code StorageProvider}, each failed with a 550 as a bounce would be. A stop-gap for bulk-action tests and the
 * bulk-action bench until the backlog lane's {@code StoreGenerator} (issue 16, item 1) lands; small on purpose.
 */
public final class FailedJobs {

    private static final int BATCH = 5_000;
    /** Time-ordered ids (UUID v7) as the queue makes them: random ones would scatter a walk by id over the whole file. */
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private FailedJobs() {
    }

    /**
     * Creates {@code count} failed jobs to {@code user<i>@<domain>} and returns their ids. Each job delivers a real
     * outbox row, so a requeued one is sent like any other.
     */
    public static List<UUID> create(ConsoleServices services, int count, String domain) throws SQLException {
        List<UUID> ids = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int start = 0; start < count; start += BATCH) {
            int end = Math.min(count, start + BATCH);
            List<OutboxEmail> emails = new ArrayList<>(end - start);
            List<Job> jobs = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                UUID emailId = IDS.generate();
                UUID jobId = IDS.generate();
                String to = "user" + i + "@" + domain;
                emails.add(new OutboxEmail(emailId, OutboxEmail.Kind.ONE_OFF, jobId, null, null, "bench@jobdeck.test", to,
                        "", "", "Generated " + i, "Body", now));
                Job job = new Job(jobId, new JobDetails(EmailJob.class.getName(), null, "send",
                        List.of(new JobParameter(UUID.class, emailId))));
                job.setJobName("E-mail to " + to);
                job.failed("Rejected for good: 550 mailbox unavailable", new IllegalStateException("550 mailbox unavailable"));
                jobs.add(job);
                ids.add(jobId);
            }
            services.parts().outbox().insertAll(emails);
            services.parts().engine().storage().save(jobs);
        }
        return ids;
    }
}
