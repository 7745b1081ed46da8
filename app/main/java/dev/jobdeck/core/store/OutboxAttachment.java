package dev.jobdeck.core.store;

import dev.jobdeck.core.mail.Attachment;

import java.util.Objects;
import java.util.UUID;

/** One stored attachment of a batch: {@code position} keeps the order the operator added the files in. */
public record OutboxAttachment(UUID id, UUID batchId, int position, Attachment attachment) {

    public OutboxAttachment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(attachment, "attachment");
    }
}
