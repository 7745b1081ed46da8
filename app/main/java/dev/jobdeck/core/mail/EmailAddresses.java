package dev.jobdeck.core.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.IDN;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses what an operator types or pastes into an address field.
 *
 * <p>Entries are split on commas, semicolons and line breaks because those are what spreadsheets and
 * mail clients put between addresses. The price is that a display name containing a comma
 * ({@code "Smith, Bob" <bob@x.org>}) is not supported; write {@code Bob Smith <bob@x.org>} instead.
 */
public final class EmailAddresses {

    static final String MISSING_AT = "missing @ and domain";
    static final String MISSING_DOMAIN = "missing domain";
    static final String MISSING_LOCAL_PART = "missing the part before @";
    static final String NOT_VALID = "not a valid e-mail address";
    static final String REQUIRED = "an address is required";
    static final String ONLY_ONE = "exactly one address is allowed";
    static final String NON_ASCII_LOCAL_PART = "the part before @ has characters outside ASCII, which needs SMTPUTF8;"
            + " JobDeck sends only to ASCII mailbox names";
    static final String BAD_IDN = "the domain is not a valid internationalised domain name";

    /** RFC 5321 §4.5.3.1: a local part of at most 64 octets, a domain of at most 255, a path of at most 256. */
    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_DOMAIN = 255;
    /** The 256-octet path less its angle brackets. */
    public static final int MAX_ADDRESS = 254;
    /** With its display name, as the outbox keeps an address (its from_addr and to_addr columns). */
    public static final int MAX_WITH_NAME = 320;

    private static final Pattern SEPARATORS = Pattern.compile("[,;\\r\\n]");

    private EmailAddresses() {
    }

    /**
     * Parses a recipients field. Blank entries are ignored; duplicates (compared on the address,
     * ignoring case) keep their first occurrence so the operator's order survives.
     */
    public static AddressList parseList(String text) {
        List<String> addresses = new ArrayList<>();
        List<AddressProblem> problems = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new AddressList(addresses, problems);
        }
        Set<String> seen = new HashSet<>();
        for (String raw : SEPARATORS.split(text)) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            Optional<String> control = HeaderText.controlCharacterProblem(entry);
            if (control.isPresent()) {
                problems.add(new AddressProblem(entry, control.get()));
                continue;
            }
            try {
                InternetAddress address = parseStrict(entry);
                if (seen.add(address.getAddress().toLowerCase(Locale.ROOT))) {
                    addresses.add(address.toUnicodeString());
                }
            } catch (AddressException e) {
                problems.add(new AddressProblem(entry, e instanceof Refused refused ? refused.reason : explain(entry)));
            }
        }
        return new AddressList(addresses, problems);
    }

    /** Parses a field that must hold exactly one address, such as From or a job's single recipient. */
    public static AddressList parseSingle(String text) {
        if (HeaderText.containsLineBreak(text)) {
            String entry = text.strip();
            return new AddressList(List.of(), List.of(new AddressProblem(entry, HeaderText.LINE_BREAK_MESSAGE)));
        }
        AddressList parsed = parseList(text);
        if (!parsed.isValid()) {
            return parsed;
        }
        if (parsed.addresses().isEmpty()) {
            return new AddressList(List.of(), List.of(new AddressProblem(text == null ? "" : text.strip(), REQUIRED)));
        }
        if (parsed.addresses().size() > 1) {
            return new AddressList(List.of(), List.of(new AddressProblem(text.strip(), ONLY_ONE)));
        }
        return parsed;
    }

    static InternetAddress parseStrict(String entry) throws AddressException {
        InternetAddress address = new InternetAddress(entry, true);
        address.validate();
        // Strict parsing still accepts obsolete source routes (<@relay:user@host>); no modern server
        // honours them and they hide the real destination from the operator.
        String bare = address.getAddress();
        int at = bare.lastIndexOf('@');
        if (address.isGroup() || bare.startsWith("@") || at <= 0 || at == bare.length() - 1) {
            throw new AddressException("Not a plain mailbox address", entry);
        }
        String local = bare.substring(0, at);
        if (!isAscii(local)) {
            throw new Refused(entry, NON_ASCII_LOCAL_PART);
        }
        if (local.length() > MAX_LOCAL_PART) {
            throw new Refused(entry, tooLong("the part before @", local.length(), MAX_LOCAL_PART) + " (RFC 5321)");
        }
        String domain = asciiDomain(bare.substring(at + 1), entry);
        if (domain.length() > MAX_DOMAIN) {
            throw new Refused(entry, tooLong("the domain", domain.length(), MAX_DOMAIN) + " (RFC 5321)");
        }
        int length = local.length() + 1 + domain.length();
        if (length > MAX_ADDRESS) {
            throw new Refused(entry, tooLong("the address", length, MAX_ADDRESS) + " (RFC 5321)");
        }
        Optional<String> dns = HostNames.problem(domain);
        if (dns.isPresent()) {
            throw new Refused(entry, "the domain " + dns.get());
        }
        int withName = address.toUnicodeString().length();
        if (withName > MAX_WITH_NAME) {
            throw new Refused(entry, tooLong("the name with the address", withName, MAX_WITH_NAME));
        }
        return address;
    }

    /**
     * The address as SMTP carries it: an internationalised domain in its ASCII form ({@code ann@bücher.example}
     * becomes {@code ann@xn--bcher-kva.example}), the display name kept. Other addresses are returned as they are.
     * Only for addresses this class accepted.
     */
    public static String smtpForm(String address) {
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            String bare = parsed.getAddress();
            int at = bare.lastIndexOf('@');
            String domain = bare.substring(at + 1);
            if (isAscii(domain)) {
                return address;
            }
            parsed.setAddress(bare.substring(0, at + 1) + asciiDomain(domain, address));
            return parsed.toUnicodeString();
        } catch (AddressException e) {
            throw new IllegalArgumentException("not an accepted address: " + address, e);
        }
    }

    private static String asciiDomain(String domain, String entry) throws AddressException {
        if (isAscii(domain)) {
            return domain;
        }
        try {
            String ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
            if (ascii.isEmpty() || ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")) {
                throw new Refused(entry, BAD_IDN);
            }
            return ascii;
        } catch (IllegalArgumentException e) {
            throw new Refused(entry, BAD_IDN);
        }
    }

    private static String tooLong(String what, int length, int limit) {
        return what + " is " + length + " characters long; at most " + limit + " are allowed";
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    /** An address refused for a reason of our own, worded for the operator. */
    private static final class Refused extends AddressException {
        private final String reason;

        Refused(String entry, String reason) {
            super(reason, entry);
            this.reason = reason;
        }
    }

    /*
     * Our own wording instead of AddressException's text: its messages ("Missing final '@domain'")
     * are written for developers and differ between Jakarta Mail versions.
     */
    private static String explain(String entry) {
        String bare = entry;
        int lt = bare.lastIndexOf('<');
        int gt = bare.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            bare = bare.substring(lt + 1, gt).strip();
        }
        int at = bare.lastIndexOf('@');
        if (at < 0) {
            return MISSING_AT;
        }
        if (at == bare.length() - 1) {
            return MISSING_DOMAIN;
        }
        if (at == 0) {
            return MISSING_LOCAL_PART;
        }
        return NOT_VALID;
    }
}
