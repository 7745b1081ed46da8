package dev.jobdeck.core.templates;

/** The parts of an e-mail that may hold merge fields. */
public enum TemplatePart {
    SUBJECT("subject"), BODY("body"), TEXT_ALTERNATIVE("plain-text part");

    private final String label;

    TemplatePart(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
