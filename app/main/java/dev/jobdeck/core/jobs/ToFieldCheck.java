package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.AddressList;
import dev.jobdeck.core.mail.EmailAddresses;

import java.util.List;
import java.util.Optional;

/**
 * The To field as the Compose screen checks it while the operator types (issue 19): the same parse and the same message
 * as Queue gives ({@link SendRequestValidator}), so a bad address is marked where it was typed before anything is
 * queued. An empty field is no problem yet: Queue says so when pressed.
 *
 * @param valid      the distinct valid addresses, in the operator's order
 * @param invalid    how many entries are not addresses
 * @param duplicates how many entries repeat an earlier address (each recipient gets one e-mail)
 * @param problem    what Queue would say about the field, if anything
 */
public record ToFieldCheck(List<String> valid, int invalid, int duplicates, Optional<String> problem) {

    public ToFieldCheck {
        valid = List.copyOf(valid);
    }

    public static ToFieldCheck of(String text) {
        AddressList parsed = EmailAddresses.parseList(text == null ? "" : text);
        int entries = countEntries(text);
        int duplicates = Math.max(0, entries - parsed.addresses().size() - parsed.problems().size());
        Optional<String> problem = Optional.empty();
        if (!parsed.isValid()) {
            problem = Optional.of(SendRequestValidator.summarize(parsed));
        } else if (parsed.addresses().size() > SendRequestValidator.MAX_RECIPIENTS) {
            problem = Optional.of(SendRequestValidator.tooMany(parsed.addresses().size()));
        }
        return new ToFieldCheck(parsed.addresses(), parsed.problems().size(), duplicates, problem);
    }

    /** The hint under the field: "3 recipients", or "1 recipient · 2 not valid · 1 duplicate left out". */
    public String describe() {
        int n = valid.size();
        String text = n == 0 && invalid == 0 ? "No recipients"
                : n == 1 ? "1 recipient" : String.format(java.util.Locale.ROOT, "%,d recipients", n);
        if (invalid > 0) {
            text += String.format(java.util.Locale.ROOT, " · %,d not valid", invalid);
        }
        if (duplicates > 0) {
            text += String.format(java.util.Locale.ROOT, " · %,d duplicate%s left out", duplicates, duplicates == 1 ? "" : "s");
        }
        return text;
    }

    /** Non-blank entries between separators (commas, semicolons, line breaks). */
    static int countEntries(CharSequence text) {
        if (text == null) {
            return 0;
        }
        int count = 0;
        boolean entryHasText = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == ';' || c == '\n' || c == '\r') {
                entryHasText = false;
            } else if (!entryHasText && !Character.isWhitespace(c)) {
                entryHasText = true;
                count++;
            }
        }
        return count;
    }
}
