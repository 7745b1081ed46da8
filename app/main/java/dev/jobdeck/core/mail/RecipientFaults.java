package dev.jobdeck.core.mail;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The sink's fault-injection rules. Read on GreenMail's connection threads and written from the UI
 * or a test, hence a copy-on-write list: reads are lock-free and rules change rarely.
 */
final class RecipientFaults {

    private record Rule(String text, Pattern pattern, String reply) {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** Adds a rule; earlier rules win, so a specific address can be given before a catch-all. */
    void add(String addressOrPattern, int code, String text) {
        if (addressOrPattern == null || addressOrPattern.isBlank()) {
            throw new IllegalArgumentException("an address or pattern is required");
        }
        if (code < 400 || code > 599) {
            throw new IllegalArgumentException("an injected reply code must be 4xx or 5xx, was " + code);
        }
        String reply = text == null ? "" : text.strip();
        if (HeaderText.containsLineBreak(reply) || HeaderText.containsLineBreak(addressOrPattern)) {
            // A line break would end the SMTP reply early and desynchronise the client.
            throw new IllegalArgumentException("the address pattern and reply text " + HeaderText.LINE_BREAK_MESSAGE);
        }
        rules.add(new Rule(addressOrPattern.strip(), glob(addressOrPattern.strip()), reply.isEmpty() ? Integer.toString(code) : code + " " + reply));
    }

    void clear() {
        rules.clear();
    }

    /** Each rule as an operator reads it, e.g. {@code "*@slow.test → 451 4.3.0 try later"}, in match order. */
    List<String> describe() {
        return rules.stream().map(rule -> rule.text() + " → " + rule.reply()).toList();
    }

    /** The reply line to send instead of "250 OK", if a rule matches. */
    Optional<String> replyFor(String address) {
        String candidate = address == null ? "" : address.strip().toLowerCase(Locale.ROOT);
        for (Rule rule : rules) {
            if (rule.pattern().matcher(candidate).matches()) {
                return Optional.of(rule.reply());
            }
        }
        return Optional.empty();
    }

    /** {@code *} matches any run of characters; everything else literally, ignoring case. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.toLowerCase(Locale.ROOT).split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
