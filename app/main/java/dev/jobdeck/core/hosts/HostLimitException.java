package dev.jobdeck.core.hosts;

/** More hosts were asked for than this machine can hold; the message says how many fit. */
public class HostLimitException extends IllegalArgumentException {

    public HostLimitException(String message) {
        super(message);
    }
}
