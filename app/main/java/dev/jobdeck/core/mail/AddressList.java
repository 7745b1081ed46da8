package dev.jobdeck.core.mail;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of parsing a recipients field: the usable addresses and every entry that was not.
 * Both are kept so the form can queue nothing and still point at each bad entry at once.
 */
public record AddressList(List<String> addresses, List<AddressProblem> problems) {

    public AddressList {
        addresses = List.copyOf(addresses);
        problems = List.copyOf(problems);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    public boolean isEmpty() {
        return addresses.isEmpty() && problems.isEmpty();
    }

    /** The one address when the field held exactly one valid address and nothing else. */
    public Optional<String> single() {
        return isValid() && addresses.size() == 1 ? Optional.of(addresses.get(0)) : Optional.empty();
    }

    /** All problems in one line, for a field's error label; empty when valid. */
    public String problemSummary() {
        StringBuilder sb = new StringBuilder();
        for (AddressProblem p : problems) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(p.describe());
        }
        return sb.toString();
    }
}
