package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.mail.AddressList;
import dev.jobdeck.core.mail.Attachment;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.mail.EmailAddresses;
import dev.jobdeck.core.mail.HeaderText;
import dev.jobdeck.core.templates.MailTemplate;
import dev.jobdeck.core.templates.TemplateSyntaxException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks every field of a Compose request and words each problem for the field it belongs to. */
public final class SendRequestValidator {

    static final int MAX_SUBJECT = 998;
    /** Cc and Bcc are each kept as one list in the outbox (its cc and bcc columns). */
    public static final int MAX_COPY_LIST = 8000;
    static final int MAX_BODY_CHARS = 1_000_000;
    public static final int MAX_RECIPIENTS = 100_000;
    static final Duration MAX_DELAY = Duration.ofDays(366);

    /** The merge field every recipient has: its address. */
    public static final String EMAIL_FIELD = "email";

    private final Clock clock;

    public SendRequestValidator(Clock clock) {
        this.clock = clock;
    }

    public ValidSend validate(SendRequest request) throws InvalidSendRequestException {
        Map<Field, String> problems = new EnumMap<>(Field.class);

        AddressList from = EmailAddresses.parseSingle(nullToEmpty(request.from()));
        if (nullToEmpty(request.from()).isBlank()) {
            problems.put(Field.FROM, "Enter the sender's address.");
        } else if (from.single().isEmpty()) {
            problems.put(Field.FROM, from.isValid() ? "Enter exactly one sender address." : from.problemSummary());
        }

        List<Recipient> recipients = request.imported().isEmpty()
                ? pastedRecipients(request, problems)
                : importedRecipients(request, problems);
        AddressList cc = copyList(Field.CC, "Cc", request.cc(), problems);
        AddressList bcc = copyList(Field.BCC, "Bcc", request.bcc(), problems);

        String subject = nullToEmpty(request.subject());
        Optional<String> subjectProblem = HeaderText.problem(subject);
        if (subject.isBlank()) {
            problems.put(Field.SUBJECT, "Enter a subject.");
        } else if (subjectProblem.isPresent()) {
            problems.put(Field.SUBJECT, "The subject " + subjectProblem.get() + ".");
        } else if (subject.length() > MAX_SUBJECT) {
            problems.put(Field.SUBJECT, "The subject is longer than " + MAX_SUBJECT + " characters.");
        }
        String body = nullToEmpty(request.body());
        if (body.length() > MAX_BODY_CHARS) {
            problems.put(Field.BODY, "The body is longer than " + MAX_BODY_CHARS + " characters.");
        }
        String textAlternative = request.format() == BodyFormat.HTML ? nullToEmpty(request.textAlternative()) : "";
        if (textAlternative.length() > MAX_BODY_CHARS) {
            problems.put(Field.TEXT_ALTERNATIVE, "The plain-text part is longer than " + MAX_BODY_CHARS + " characters.");
        }
        MailTemplate template = null;
        try {
            template = MailTemplate.compile(subject, body, request.format(), textAlternative);
            if (!problems.containsKey(Field.TO)) {
                TemplateChecks.check(template, recipients, MAX_SUBJECT).forEach(problems::putIfAbsent);
            }
        } catch (TemplateSyntaxException e) {
            problems.putIfAbsent(TemplateChecks.fieldOf(e.part()), TemplateChecks.describe(e));
        }

        List<Attachment> attachments = List.of();
        try {
            attachments = AttachmentFile.readAll(request.attachments());
        } catch (IOException e) {
            problems.put(Field.ATTACHMENTS, e.getMessage());
        }

        Instant runAt = null;
        String cron = null;
        When when = request.when() == null ? When.now() : request.when();
        Instant now = clock.instant();
        if (when instanceof When.At at) {
            if (at.localTime() == null) {
                problems.put(Field.WHEN, "Pick the date and time to send at.");
            } else {
                runAt = at.localTime().atZone(clock.getZone()).toInstant();
                if (!runAt.isAfter(now)) {
                    problems.put(Field.WHEN, "That time is in the past. Pick a later date and time.");
                }
            }
        } else if (when instanceof When.After after) {
            if (after.delay() == null || after.delay().isZero() || after.delay().isNegative()) {
                problems.put(Field.WHEN, "The delay must be more than zero.");
            } else if (after.delay().compareTo(MAX_DELAY) > 0) {
                problems.put(Field.WHEN, "The delay must be at most 366 days.");
            } else {
                runAt = now.plus(after.delay());
            }
        } else if (when instanceof When.Cron c) {
            String expression = nullToEmpty(c.expression()).trim();
            Optional<Instant> first = CronSchedule.next(expression, now, clock.getZone());
            if (first.isPresent()) {
                runAt = first.get();
                cron = expression;
            } else {
                problems.put(Field.WHEN, "\"" + expression + "\" is not a cron expression JobDeck understands"
                        + " (five fields: minute hour day-of-month month day-of-week, e.g. \"0 9 * * MON-FRI\").");
            }
        }

        if (!problems.isEmpty()) {
            throw new InvalidSendRequestException(problems);
        }
        return new ValidSend(from.single().orElseThrow(), recipients, String.join(", ", cc.addresses()),
                String.join(", ", bcc.addresses()), subject, body, runAt, cron, template,
                nullToEmpty(request.templateName()).strip(), attachments);
    }

    /** The To field's addresses, each with the one merge field {@code email}. */
    private static List<Recipient> pastedRecipients(SendRequest request, Map<Field, String> problems) {
        AddressList to = EmailAddresses.parseList(nullToEmpty(request.to()));
        if (!to.isValid()) {
            problems.put(Field.TO, summarize(to));
        } else if (to.addresses().isEmpty()) {
            problems.put(Field.TO, "Enter at least one recipient.");
        } else if (to.addresses().size() > MAX_RECIPIENTS) {
            problems.put(Field.TO, tooMany(to.addresses().size()));
        } else {
            List<Recipient> recipients = new ArrayList<>(to.addresses().size());
            for (String address : to.addresses()) {
                recipients.add(TemplateChecks.pasted(address));
            }
            return recipients;
        }
        return List.of();
    }

    /**
     * The rows of an imported CSV file. The importer checked them already; they are checked again because a
     * request can be built by any caller, and one bad address must not reach the outbox.
     */
    private static List<Recipient> importedRecipients(SendRequest request, Map<Field, String> problems) {
        List<Recipient> imported = request.imported();
        if (!nullToEmpty(request.to()).isBlank()) {
            problems.put(Field.TO, "Use either the To field or an imported CSV file, not both.");
            return List.of();
        }
        if (imported.size() > MAX_RECIPIENTS) {
            problems.put(Field.TO, "At most " + MAX_RECIPIENTS + " recipients at once (" + imported.size() + " imported).");
            return List.of();
        }
        List<Recipient> recipients = new ArrayList<>(imported.size());
        for (Recipient recipient : imported) {
            AddressList address = EmailAddresses.parseSingle(nullToEmpty(recipient.address()));
            if (address.single().isEmpty()) {
                problems.put(Field.TO, "Imported recipient " + address.problemSummary());
                return List.of();
            }
            Map<String, String> fields = new LinkedHashMap<>(recipient.fields() == null ? Map.of() : recipient.fields());
            fields.put(EMAIL_FIELD, address.single().get());
            recipients.add(new Recipient(address.single().get(), Collections.unmodifiableMap(fields)));
        }
        return recipients;
    }

    private static AddressList copyList(Field field, String label, String text, Map<Field, String> problems) {
        AddressList list = EmailAddresses.parseList(nullToEmpty(text));
        if (!list.isValid()) {
            problems.put(field, summarize(list));
        } else {
            int length = String.join(", ", list.addresses()).length();
            if (length > MAX_COPY_LIST) {
                problems.put(field, "The " + label + " addresses come to " + length + " characters; at most " + MAX_COPY_LIST
                        + " are allowed (" + list.addresses().size() + " addresses given).");
            }
        }
        return list;
    }

    static String tooMany(int given) {
        return "At most " + MAX_RECIPIENTS + " recipients at once (" + given + " given).";
    }

    static String summarize(AddressList list) {
        List<String> shown = list.problems().stream().limit(3).map(p -> p.describe()).toList();
        int more = list.problems().size() - shown.size();
        return String.join("; ", shown) + (more > 0 ? " (and " + more + " more)" : "");
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
