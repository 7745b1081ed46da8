package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.mail.HeaderText;
import dev.jobdeck.core.templates.MailTemplate;
import dev.jobdeck.core.templates.MissingFields;
import dev.jobdeck.core.templates.TemplatePart;
import dev.jobdeck.core.templates.TemplateSyntaxException;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Checks a template against every recipient before anything is queued, and words each problem for the
 * field the operator fixes: fields a recipient lacks (all of them, with how many recipients and the first
 * one), and a merged subject that would be refused (a line break, empty, too long), naming the recipient.
 */
public final class TemplateChecks {

    private TemplateChecks() {
    }

    /** A recipient typed or pasted into To: its only merge field is {@code email}. */
    public static Recipient pasted(String address) {
        return new Recipient(address, Map.of(SendRequestValidator.EMAIL_FIELD, address));
    }

    public static Field fieldOf(TemplatePart part) {
        return switch (part) {
            case SUBJECT -> Field.SUBJECT;
            case BODY -> Field.BODY;
            case TEXT_ALTERNATIVE -> Field.TEXT_ALTERNATIVE;
        };
    }

    /** "The body is not a valid template: line 2, column 7: ..." */
    public static String describe(TemplateSyntaxException e) {
        return e.getMessage();
    }

    /** How to say which recipient: its place in the list (1-based) and its address. */
    public static String whichRecipient(int index, Recipient recipient) {
        return "recipient " + (index + 1) + " (" + recipient.address() + ")";
    }

    /** The fields one recipient lacks, e.g. for the preview. */
    public static String describeMissing(MissingFields missing, TemplatePart part, Recipient recipient) {
        SortedSet<String> names = missing.byPart().get(part);
        return "The " + part.label() + " uses " + fieldWord(names) + " " + String.join(", ", names) + ", which "
                + recipient.address() + " lacks (it has only " + String.join(", ", new TreeSet<>(recipient.fields().keySet())) + ").";
    }

    static Map<Field, String> check(MailTemplate template, List<Recipient> recipients, int maxSubject) {
        Map<TemplatePart, SortedSet<String>> missing = new EnumMap<>(TemplatePart.class);
        Map<TemplatePart, Integer> lacking = new EnumMap<>(TemplatePart.class);
        Map<TemplatePart, Integer> firstLacking = new EnumMap<>(TemplatePart.class);
        String subjectProblem = null;
        for (int i = 0; i < recipients.size(); i++) {
            Recipient recipient = recipients.get(i);
            MissingFields lacks = template.missingFields(recipient.fields());
            if (!lacks.isEmpty()) {
                int index = i;
                lacks.byPart().forEach((part, names) -> {
                    missing.computeIfAbsent(part, p -> new TreeSet<>()).addAll(names);
                    lacking.merge(part, 1, Integer::sum);
                    firstLacking.putIfAbsent(part, index);
                });
                continue;
            }
            if (subjectProblem == null && !template.fieldsOf(TemplatePart.SUBJECT).isEmpty()) {
                subjectProblem = subjectProblem(template.subjectFor(recipient.fields()), whichRecipient(i, recipient),
                        maxSubject);
            }
        }
        Map<Field, String> problems = new EnumMap<>(Field.class);
        missing.forEach((part, names) -> {
            Recipient first = recipients.get(firstLacking.get(part));
            int count = lacking.get(part);
            problems.put(fieldOf(part), "The " + part.label() + " uses " + fieldWord(names) + " " + String.join(", ", names)
                    + ", which " + count + " of " + recipients.size() + (recipients.size() == 1 ? " recipient lacks" : " recipients lack")
                    + " (first: " + whichRecipient(firstLacking.get(part), first) + ", which has only "
                    + String.join(", ", new TreeSet<>(first.fields().keySet())) + ").");
        });
        if (subjectProblem != null) {
            problems.putIfAbsent(Field.SUBJECT, subjectProblem);
        }
        return problems;
    }

    private static String subjectProblem(String merged, String who, int maxSubject) {
        if (HeaderText.containsLineBreak(merged)) {
            return "After merging, the subject for " + who + " " + HeaderText.LINE_BREAK_MESSAGE
                    + ": a field put a line break into it. Fix that recipient's data.";
        }
        Optional<String> control = HeaderText.controlCharacterProblem(merged);
        if (control.isPresent()) {
            return "After merging, the subject for " + who + " " + control.get()
                    + ": a field put it there. Fix that recipient's data.";
        }
        if (merged.isBlank()) {
            return "After merging, the subject for " + who + " is empty.";
        }
        if (merged.length() > maxSubject) {
            return "After merging, the subject for " + who + " is longer than " + maxSubject + " characters.";
        }
        return null;
    }

    private static String fieldWord(SortedSet<String> names) {
        return names.size() == 1 ? "the field" : "the fields";
    }
}
