package dev.jobdeck.core.mail;

/** See {@link SmtpFailure.Kind#PERMANENT}. */
public final class PermanentDeliveryException extends DeliveryException {

    public PermanentDeliveryException(String message, SmtpFailure failure, Throwable cause) {
        super(message, failure, cause);
        if (failure.kind() != SmtpFailure.Kind.PERMANENT) {
            throw new IllegalArgumentException("not a permanent failure: " + failure);
        }
    }
}
