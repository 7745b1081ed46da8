package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.jobs.TemplateChecks;
import dev.jobdeck.core.jobs.TestSend;
import dev.jobdeck.core.jobs.TestSend.InvalidTestSendException;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.mail.HeaderText;
import dev.jobdeck.core.mail.PermanentDeliveryException;
import dev.jobdeck.core.mail.TransientDeliveryException;
import dev.jobdeck.core.templates.MailTemplate;
import dev.jobdeck.core.templates.MissingFieldsException;
import dev.jobdeck.core.templates.PreviewDocument;
import dev.jobdeck.core.templates.RenderedEmail;
import dev.jobdeck.core.templates.TemplateSyntaxException;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.compose.ComposeModel.Outcome;
import javafx.beans.Observable;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The Compose screen's preview: the e-mail one recipient would get, merged as it would be queued, one
 * recipient at a time; and "Send test", which sends that e-mail once to an address the operator types.
 * HTML is handed to the view as a {@link PreviewDocument} (remote content blocked, no scripts).
 */
public final class PreviewModel {

    private final ObservableValue<List<Recipient>> recipients;
    private final Supplier<SendRequest> form;
    private final TestSend testSend;
    private final TaskRunner tasks;
    private final Function<Field, ReadOnlyStringWrapper> fieldErrors;

    // Properties: the preview
    private final ReadOnlyIntegerWrapper index = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyStringWrapper position = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper hasPrevious = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper hasNext = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper subject = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<BodyFormat> format = new ReadOnlyObjectWrapper<>(BodyFormat.TEXT);
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper textLabel = new ReadOnlyStringWrapper("Body");
    private final ReadOnlyStringWrapper htmlDocument = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

    // Properties: Send test
    private final StringProperty testTo = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper testToError = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper testSending = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper testResult = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> testOutcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);

    /**
     * @param form the form as it is now; {@code triggers} are its inputs, so the preview follows every edit
     * @param fieldErrors the Compose form's error of each field, where Send test reports a field's problem
     */
    PreviewModel(ObservableValue<List<Recipient>> recipients, Supplier<SendRequest> form, List<Observable> triggers,
                 TestSend testSend, TaskRunner tasks, Function<Field, ReadOnlyStringWrapper> fieldErrors) {
        this.recipients = recipients;
        this.form = form;
        this.testSend = testSend;
        this.tasks = tasks;
        this.fieldErrors = fieldErrors;
        recipients.addListener((obs, old, list) -> {
            index.set(Math.max(0, Math.min(index.get(), list.size() - 1)));
            formChanged();
        });
        triggers.forEach(trigger -> trigger.addListener(obs -> formChanged()));
        testTo.addListener((obs, old, value) -> {
            testToError.set("");
            forgetTestResult();
        });
        refresh();
    }

    // Commands

    public void previous() {
        if (index.get() > 0) {
            index.set(index.get() - 1);
            refresh();
        }
    }

    public void next() {
        if (index.get() < recipients.getValue().size() - 1) {
            index.set(index.get() + 1);
            refresh();
        }
    }

    /** Sends the previewed recipient's e-mail once to the typed address, off the JavaFX thread; creates no job. */
    public void sendTest() {
        if (testSending.get()) {
            return;
        }
        showTest(Outcome.NONE, "");
        testToError.set("");
        SendRequest request = form.get();
        String address = testTo.get();
        // With no recipients yet, the test address stands in for one (its only field is email).
        Recipient data = current() != null ? current() : TemplateChecks.pasted(address == null ? "" : address.strip());
        testSending.set(true);
        tasks.run(() -> testSend.send(request, data, address),
                sent -> {
                    testSending.set(false);
                    showTest(Outcome.SUCCESS, "Sent to " + sent.to() + " through " + sent.server() + " (as " + data.address()
                            + " would get it). The server replied: " + sent.reply());
                },
                failure -> {
                    testSending.set(false);
                    showTestFailure(failure);
                });
    }

    private void showTestFailure(Throwable failure) {
        if (failure instanceof InvalidTestSendException invalid) {
            invalid.addressProblem().ifPresent(testToError::set);
            invalid.problems().forEach((field, message) -> fieldErrors.apply(field).set(message));
            showTest(Outcome.DANGER, "Not sent. Correct the fields marked in red.");
        } else if (failure instanceof PermanentDeliveryException refused) {
            showTest(Outcome.DANGER, "Not sent: refused for good (a queued job would fail without retrying). "
                    + refused.getMessage());
        } else if (failure instanceof TransientDeliveryException transientFailure) {
            showTest(Outcome.DANGER, "Not sent: a temporary failure (a queued job would retry). " + transientFailure.getMessage());
        } else {
            showTest(Outcome.DANGER, "Not sent: " + failure.getMessage());
        }
    }

    /** The form changed: the preview follows, and a Send test's result, which spoke of the form before, goes. */
    private void formChanged() {
        forgetTestResult();
        refresh();
    }

    /** A result shown after the form changed would describe an e-mail no longer on screen (issue 19). */
    private void forgetTestResult() {
        if (!testSending.get()) {
            showTest(Outcome.NONE, "");
        }
    }

    private void showTest(Outcome kind, String message) {
        testOutcome.set(kind);
        testResult.set(message);
    }

    private Recipient current() {
        List<Recipient> list = recipients.getValue();
        return list.isEmpty() ? null : list.get(Math.min(index.get(), list.size() - 1));
    }

    /** Merges the form for the current recipient; cheap enough to run on every keystroke (no I/O). */
    private void refresh() {
        List<Recipient> list = recipients.getValue();
        hasPrevious.set(index.get() > 0);
        hasNext.set(index.get() < list.size() - 1);
        SendRequest request = form.get();
        BodyFormat bodyFormat = request.format() == null ? BodyFormat.TEXT : request.format();
        format.set(bodyFormat);
        Recipient recipient = current();
        if (recipient == null) {
            position.set("No recipients yet: the preview shows each one's e-mail once To has recipients.");
            show("", "", bodyFormat, "", "");
            return;
        }
        position.set("Recipient " + (index.get() + 1) + " of " + list.size() + ": " + recipient.address());
        try {
            MailTemplate template = MailTemplate.compile(request.subject(), request.body(), bodyFormat, request.textAlternative());
            RenderedEmail mail = template.render(recipient.fields());
            String subjectProblem = HeaderText.problem(mail.subject())
                    .map(problem -> "After merging, the subject " + problem + ": it would be refused.").orElse("");
            textLabel.set(bodyFormat == BodyFormat.TEXT ? "Body"
                    : mail.textDerived() ? "Plain-text part (derived from the HTML)" : "Plain-text part (as written)");
            show(mail.subject(), bodyFormat == BodyFormat.TEXT ? mail.body() : mail.textAlternative(), bodyFormat,
                    bodyFormat == BodyFormat.HTML ? PreviewDocument.of(mail.body()) : "", subjectProblem);
        } catch (TemplateSyntaxException e) {
            show("", "", bodyFormat, "", e.getMessage());
        } catch (MissingFieldsException e) {
            show("", "", bodyFormat, "", e.missing().byPart().keySet().stream()
                    .map(part -> TemplateChecks.describeMissing(e.missing(), part, recipient))
                    .collect(Collectors.joining(" ")));
        }
    }

    private void show(String subjectText, String bodyText, BodyFormat bodyFormat, String html, String problemText) {
        subject.set(subjectText);
        text.set(bodyText);
        if (bodyFormat == BodyFormat.TEXT) {
            textLabel.set("Body");
        }
        htmlDocument.set(html);
        problem.set(problemText);
    }

    // Property accessors

    public ReadOnlyIntegerProperty indexProperty() {
        return index.getReadOnlyProperty();
    }

    /** "Recipient 2 of 5: bob@example.com". */
    public ReadOnlyStringProperty positionProperty() {
        return position.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasPreviousProperty() {
        return hasPrevious.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasNextProperty() {
        return hasNext.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty subjectProperty() {
        return subject.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BodyFormat> formatProperty() {
        return format.getReadOnlyProperty();
    }

    /** The plain-text body, or for HTML the plain-text part. */
    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    /** What {@link #textProperty()} is: the body, or the derived or written plain-text part. */
    public ReadOnlyStringProperty textLabelProperty() {
        return textLabel.getReadOnlyProperty();
    }

    /** The merged HTML made safe to display ({@link PreviewDocument}); empty for plain text or a problem. */
    public ReadOnlyStringProperty htmlDocumentProperty() {
        return htmlDocument.getReadOnlyProperty();
    }

    /** Why nothing can be shown for this recipient (a syntax error, a missing field); empty when all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public StringProperty testToProperty() {
        return testTo;
    }

    public ReadOnlyStringProperty testToErrorProperty() {
        return testToError.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty testSendingProperty() {
        return testSending.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty testResultProperty() {
        return testResult.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> testOutcomeProperty() {
        return testOutcome.getReadOnlyProperty();
    }
}
