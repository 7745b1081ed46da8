package dev.jobdeck.core.mail;

import java.util.Objects;

/**
 * A message the server accepted. The reply and Message-ID go into the delivery ledger, which is how
 * an operator matches a job to what arrived in a mailbox.
 */
public record DeliveryResult(String serverReply, String messageId) {

    public DeliveryResult {
        Objects.requireNonNull(serverReply, "serverReply");
        Objects.requireNonNull(messageId, "messageId");
    }
}
