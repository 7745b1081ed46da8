package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.mail.AddressList;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.mail.DeliveryException;
import dev.jobdeck.core.mail.DeliveryResult;
import dev.jobdeck.core.mail.EmailAddresses;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.HeaderText;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.templates.MailTemplate;
import dev.jobdeck.core.templates.MissingFields;
import dev.jobdeck.core.templates.MissingFieldsException;
import dev.jobdeck.core.templates.RenderedEmail;
import dev.jobdeck.core.templates.TemplateSyntaxException;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * "Send test": one e-mail, merged with one recipient's fields, delivered straight away through the current
 * SMTP server to an address the operator types. It creates no job and no outbox row, and goes to nobody
 * else (Cc and Bcc are left out), so an operator can check a template before queuing thousands.
 */
public final class TestSend {

    /** What the server said, and where the e-mail went. */
    public record Sent(String to, String server, String reply, String messageId) {
    }

    private final Mailer mailer;
    private final Supplier<SmtpSettings> server;

    public TestSend(Mailer mailer, Supplier<SmtpSettings> server) {
        this.mailer = mailer;
        this.server = server;
    }

    /**
     * Merges the request's template with {@code data}'s fields and sends the result to {@code testAddress}.
     *
     * @throws InvalidTestSendException when the address, the sender or the template is refused; nothing was sent
     * @throws DeliveryException when the server refused or could not be reached, classified
     */
    public Sent send(SendRequest request, Recipient data, String testAddress) throws InvalidTestSendException, DeliveryException {
        Map<Field, String> problems = new EnumMap<>(Field.class);
        String addressProblem = null;
        AddressList to = EmailAddresses.parseSingle(testAddress == null ? "" : testAddress);
        if (testAddress == null || testAddress.isBlank()) {
            addressProblem = "Enter the address to send the test to.";
        } else if (to.single().isEmpty()) {
            addressProblem = to.isValid() ? "Enter exactly one address." : to.problemSummary();
        }
        AddressList from = EmailAddresses.parseSingle(request.from() == null ? "" : request.from());
        if (from.single().isEmpty()) {
            problems.put(Field.FROM, request.from() == null || request.from().isBlank()
                    ? "Enter the sender's address." : from.isValid() ? "Enter exactly one sender address." : from.problemSummary());
        }
        RenderedEmail rendered = null;
        if (data == null) {
            problems.put(Field.TO, "Enter at least one recipient: the test uses its fields.");
        } else {
            try {
                BodyFormat format = request.format() == null ? BodyFormat.TEXT : request.format();
                MailTemplate template = MailTemplate.compile(request.subject(), request.body(), format,
                        format == BodyFormat.HTML ? request.textAlternative() : "");
                rendered = template.render(data.fields());
                Optional<String> subjectProblem = subjectProblem(rendered.subject(), data);
                subjectProblem.ifPresent(message -> problems.put(Field.SUBJECT, message));
            } catch (TemplateSyntaxException e) {
                problems.put(TemplateChecks.fieldOf(e.part()), TemplateChecks.describe(e));
            } catch (MissingFieldsException e) {
                MissingFields missing = e.missing();
                missing.byPart().keySet().forEach(part ->
                        problems.put(TemplateChecks.fieldOf(part), TemplateChecks.describeMissing(missing, part, data)));
            }
        }
        if (addressProblem != null || !problems.isEmpty()) {
            throw new InvalidTestSendException(addressProblem, problems);
        }
        EmailMessage message = new EmailMessage(from.single().orElseThrow(), to.single().orElseThrow(), List.of(),
                List.of(), rendered.subject(), rendered.body(), rendered.format(), rendered.textAlternative());
        SmtpSettings settings = server.get();
        DeliveryResult result = mailer.send(settings, message, MessageIds.forJob(UUID.randomUUID()));
        return new Sent(message.to(), settings.address(), result.serverReply(), result.messageId());
    }

    private static Optional<String> subjectProblem(String subject, Recipient data) {
        if (subject.isBlank()) {
            return Optional.of("After merging, the subject for " + data.address() + " is empty.");
        }
        if (HeaderText.containsLineBreak(subject)) {
            return Optional.of("After merging, the subject for " + data.address() + " " + HeaderText.LINE_BREAK_MESSAGE
                    + ": a field put a line break into it.");
        }
        Optional<String> control = HeaderText.controlCharacterProblem(subject);
        if (control.isPresent()) {
            return Optional.of("After merging, the subject for " + data.address() + " " + control.get() + ".");
        }
        return Optional.empty();
    }

    /** A test send refused before anything was sent: the test address's problem and the form's. */
    public static final class InvalidTestSendException extends Exception {

        private final String addressProblem;
        private final Map<Field, String> problems;

        InvalidTestSendException(String addressProblem, Map<Field, String> problems) {
            super(addressProblem != null ? addressProblem : problems.toString());
            this.addressProblem = addressProblem;
            this.problems = Map.copyOf(problems);
        }

        /** The problem with the typed test address, if any. */
        public Optional<String> addressProblem() {
            return Optional.ofNullable(addressProblem);
        }

        public Map<Field, String> problems() {
            return problems;
        }
    }
}
