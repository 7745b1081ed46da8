package dev.jobdeck.core.jobs;

import java.util.UUID;

/** The {@code Message-ID} of a job's e-mail: derived from the job id, so every retry sends the same one. */
public final class MessageIds {

    private MessageIds() {
    }

    public static String forJob(UUID jobId) {
        return "<" + jobId + "@jobdeck.local>";
    }
}
