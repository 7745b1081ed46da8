package dev.jobdeck.core.jobs;

/** Recorded as the failure of a job whose host was stopped or crashed while the job ran. */
public class HostStoppedException extends Exception {

    public HostStoppedException(String message) {
        super(message);
    }
}
