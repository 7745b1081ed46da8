package dev.jobdeck.core.jobs;

import org.jobrunr.JobRunrException;

/**
 * Thrown from a job when the SMTP server refused the e-mail for good (a 5xx reply). JobRunr's retry
 * filter honours {@code doNotRetry}, so the job goes straight to Failed instead of burning ten retries.
 */
public class PermanentJobFailure extends JobRunrException {

    public PermanentJobFailure(String message, Throwable cause) {
        super(message, true, cause);
    }
}
