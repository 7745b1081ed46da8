package dev.jobdeck.core.mail;

import java.util.Arrays;
import java.util.Objects;

/**
 * A file sent with an e-mail as a MIME part of its own. The limits are JobDeck's, not SMTP's: many servers
 * refuse messages above 25 MB, and every recipient of a batch shares the one stored copy.
 */
public record Attachment(String fileName, String contentType, byte[] content) {

    public static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    public static final long MAX_TOTAL_BYTES = 25L * 1024 * 1024;
    public static final int MAX_FILES = 20;
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    public Attachment {
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("An attachment needs a file name");
        }
        if (HeaderText.containsLineBreak(fileName)) {
            throw new IllegalArgumentException("An attachment's file name " + HeaderText.LINE_BREAK_MESSAGE);
        }
        contentType = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
        Objects.requireNonNull(content, "content");
    }

    public long size() {
        return content.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Attachment a && a.fileName.equals(fileName) && a.contentType.equals(contentType)
                && Arrays.equals(a.content, content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, contentType, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "Attachment[" + fileName + ", " + contentType + ", " + content.length + " bytes]";
    }

    /** A size as an operator reads it: "512 bytes", "18.4 KiB", "12.3 MiB", "10 MiB". */
    public static String sizeText(long bytes) {
        if (bytes < 1024) {
            return bytes == 1 ? "1 byte" : bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
