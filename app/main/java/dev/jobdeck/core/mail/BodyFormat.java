package dev.jobdeck.core.mail;

/**
 * How an e-mail's body is written. An {@link #HTML} e-mail goes out as {@code multipart/alternative} with a
 * plain-text part, so mail clients that do not show HTML (and spam filters that compare both) get readable text.
 */
public enum BodyFormat {
    TEXT("Plain text"), HTML("HTML");

    private final String label;

    BodyFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
