package dev.jobdeck.core.jobs;

/**
 * A bulk job's run that stopped between two messages because the job is no longer its own: JobRunr handed it to
 * another run while this host could not reach the store (decision 23). Like a host that stops, it is no failure of
 * the job's; the other run carries on with the recipients this one had left.
 */
public class RunSupersededException extends HostStoppedException {

    public RunSupersededException(String message) {
        super(message);
    }
}
