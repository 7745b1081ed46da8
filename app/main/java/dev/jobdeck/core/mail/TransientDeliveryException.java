package dev.jobdeck.core.mail;

/** See {@link SmtpFailure.Kind#TRANSIENT}. */
public final class TransientDeliveryException extends DeliveryException {

    public TransientDeliveryException(String message, SmtpFailure failure, Throwable cause) {
        super(message, failure, cause);
        if (failure.kind() != SmtpFailure.Kind.TRANSIENT) {
            throw new IllegalArgumentException("not a transient failure: " + failure);
        }
    }
}
