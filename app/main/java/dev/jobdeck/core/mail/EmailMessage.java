package dev.jobdeck.core.mail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One e-mail as JobDeck sends it: a single {@code to}, because every recipient is its own job and so
 * retries, failures and the ledger stay per recipient. An {@link BodyFormat#HTML} body travels with
 * {@code textAlternative}, its plain-text part (never empty: derived from the HTML when nobody wrote one).
 *
 * <p>The canonical constructor validates, so no invalid instance can exist; addresses are stored in
 * the form SMTP carries (an internationalised domain in its ASCII "xn--" form). Use {@link #of} for readability at
 * call sites. {@code attachments} go out as MIME parts of their own after the body.
 */
public record EmailMessage(String from, String to, List<String> cc, List<String> bcc, String subject, String body,
                           BodyFormat format, String textAlternative, List<Attachment> attachments) {

    public enum Field {
        FROM("From"), TO("To"), CC("Cc"), BCC("Bcc"), SUBJECT("Subject"), BODY("Body");

        private final String label;

        Field(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static final String SUBJECT_REQUIRED = "a subject is required";

    public EmailMessage {
        Map<Field, String> problems = new EnumMap<>(Field.class);
        from = single(Field.FROM, from, problems);
        to = single(Field.TO, to, problems);
        cc = each(Field.CC, cc, problems);
        bcc = each(Field.BCC, bcc, problems);
        if (subject == null || subject.isBlank()) {
            problems.put(Field.SUBJECT, SUBJECT_REQUIRED);
        } else {
            HeaderText.problem(subject).ifPresent(m -> problems.put(Field.SUBJECT, m));
        }
        body = body == null ? "" : body;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        format = format == null ? BodyFormat.TEXT : format;
        textAlternative = format == BodyFormat.TEXT ? ""
                : textAlternative == null || textAlternative.isBlank() ? HtmlText.toPlainText(body) : textAlternative;
        if (!problems.isEmpty()) {
            throw new InvalidEmailException(problems);
        }
    }

    /** A plain-text e-mail without attachments. */
    public EmailMessage(String from, String to, List<String> cc, List<String> bcc, String subject, String body) {
        this(from, to, cc, bcc, subject, body, BodyFormat.TEXT, "", List.of());
    }

    /** A plain-text e-mail with attachments. */
    public EmailMessage(String from, String to, List<String> cc, List<String> bcc, String subject, String body,
                        List<Attachment> attachments) {
        this(from, to, cc, bcc, subject, body, BodyFormat.TEXT, "", attachments);
    }

    /** An e-mail in {@code format}, without attachments. */
    public EmailMessage(String from, String to, List<String> cc, List<String> bcc, String subject, String body,
                        BodyFormat format, String textAlternative) {
        this(from, to, cc, bcc, subject, body, format, textAlternative, List.of());
    }

    public static EmailMessage of(String from, String to, List<String> cc, List<String> bcc, String subject, String body) {
        return new EmailMessage(from, to, cc, bcc, subject, body);
    }

    public static EmailMessage of(String from, String to, String subject, String body) {
        return new EmailMessage(from, to, List.of(), List.of(), subject, body);
    }

    /** An HTML e-mail; an empty {@code textAlternative} is derived from the HTML. */
    public static EmailMessage html(String from, String to, String subject, String html, String textAlternative) {
        return new EmailMessage(from, to, List.of(), List.of(), subject, html, BodyFormat.HTML, textAlternative);
    }

    private static String single(Field field, String text, Map<Field, String> problems) {
        AddressList parsed = EmailAddresses.parseSingle(text);
        if (parsed.single().isPresent()) {
            return EmailAddresses.smtpForm(parsed.single().get());
        }
        problems.put(field, parsed.problemSummary());
        return text;
    }

    /*
     * Each element must be exactly one address (callers split a raw field with
     * EmailAddresses.parseList first), so an element that smuggles in a second address or a line
     * break is refused instead of widening the recipient list.
     */
    private static List<String> each(Field field, List<String> addresses, Map<Field, String> problems) {
        if (addresses == null || addresses.isEmpty()) {
            return List.of();
        }
        StringBuilder messages = new StringBuilder();
        List<String> normalized = new ArrayList<>(addresses.size());
        for (String entry : addresses) {
            AddressList parsed = EmailAddresses.parseSingle(Objects.requireNonNullElse(entry, ""));
            if (parsed.single().isPresent()) {
                normalized.add(EmailAddresses.smtpForm(parsed.single().get()));
            } else {
                if (messages.length() > 0) {
                    messages.append("; ");
                }
                messages.append(parsed.problemSummary());
            }
        }
        if (messages.length() > 0) {
            problems.put(field, messages.toString());
            return List.of();
        }
        return List.copyOf(normalized);
    }
}
