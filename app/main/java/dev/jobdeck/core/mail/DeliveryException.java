package dev.jobdeck.core.mail;

/**
 * A send or connection test that did not succeed. Checked, so every caller decides between failing
 * the job ({@link PermanentDeliveryException}) and letting it retry ({@link TransientDeliveryException}).
 */
public abstract sealed class DeliveryException extends Exception
        permits PermanentDeliveryException, TransientDeliveryException {

    private final SmtpFailure failure;

    protected DeliveryException(String message, SmtpFailure failure, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    /** The subclass that matches the failure's kind, so callers cannot mislabel a failure. */
    public static DeliveryException of(String message, SmtpFailure failure, Throwable cause) {
        return failure.isPermanent()
                ? new PermanentDeliveryException(message, failure, cause)
                : new TransientDeliveryException(message, failure, cause);
    }

    public SmtpFailure failure() {
        return failure;
    }

    public int replyCode() {
        return failure.replyCode();
    }

    public String replyText() {
        return failure.replyText();
    }
}
