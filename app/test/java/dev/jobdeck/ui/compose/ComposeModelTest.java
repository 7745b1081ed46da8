package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.query.JobState;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.templates.PreviewDocument;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.fx.Navigation;
import dev.jobdeck.ui.fx.Screen;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.compose.ComposeModel.Outcome;
import dev.jobdeck.ui.compose.ScheduleModel.Schedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ComposeModelTest {

    @TempDir
    Path tempDir;

    private ConsoleServices services;
    private Navigation navigation;
    private ComposeModel model;

    @BeforeEach
    void open() throws Exception {
        services = ConsoleServices.open(new DataDirectory(tempDir), ConsoleServices.Options.console());
        navigation = new Navigation();
        model = new ComposeModel(services.forScreens().queue(), services.forScreens().templates(), services.forScreens().testSend(), TaskRunner.direct(), navigation,
                Clock.systemDefaultZone());
        model.recipients().toProperty().set("ann@example.com, bob@example.com");
        model.message().subjectProperty().set("Hello");
        model.message().bodyProperty().set("Body");
    }

    @AfterEach
    void close() {
        services.close();
    }

    private long queuedJobs() throws Exception {
        return services.forScreens().queries().counts().total();
    }

    @ParameterizedTest(name = "{0} = \"{1}\" is refused")
    @CsvSource(delimiter = '|', value = {
            "FROM    | not-an-address       | missing @ and domain",
            "FROM    | ''                   | Enter the sender's address.",
            "TO      | ann@example.com, bob | missing @ and domain",
            "TO      | ''                   | Enter at least one recipient.",
            "CC      | carol@               | missing domain",
            "SUBJECT | ''                   | Enter a subject.",
    })
    void badFieldIsRefusedWithItsMessageAndQueuesNothing(Field field, String value, String message) throws Exception {
        switch (field) {
            case FROM -> model.recipients().fromProperty().set(value);
            case TO -> model.recipients().toProperty().set(value);
            case CC -> model.recipients().ccProperty().set(value);
            default -> model.message().subjectProperty().set(value);
        }

        model.send();

        assertThat(model.errorProperty(field).get()).contains(message);
        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.DANGER);
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void lineBreakInSubjectIsRefused() throws Exception {
        model.message().subjectProperty().set("Hello\r\nBcc: everyone@example.com");

        model.send();

        assertThat(model.errorProperty(Field.SUBJECT).get()).contains("line breaks");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void unparsableCronIsRefused() throws Exception {
        model.schedule().scheduleProperty().set(Schedule.CRON);
        model.schedule().cronProperty().set("every monday");

        model.send();

        assertThat(model.errorProperty(Field.WHEN).get()).contains("not a cron expression");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void timeInThePastIsRefused() throws Exception {
        model.schedule().scheduleProperty().set(Schedule.AT);
        model.schedule().atDateProperty().set(LocalDate.now().minusDays(1));
        model.schedule().atTimeProperty().set("09:00");

        model.send();

        assertThat(model.errorProperty(Field.WHEN).get()).contains("in the past");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void malformedTimeIsRefusedWithTheExpectedFormat() throws Exception {
        model.schedule().scheduleProperty().set(Schedule.AT);
        model.schedule().atTimeProperty().set("9 o'clock");

        model.send();

        assertThat(model.errorProperty(Field.WHEN).get()).contains("HH:mm");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void errorClearsWhenTheFieldIsEdited() {
        model.recipients().toProperty().set("bob");
        model.send();
        assertThat(model.errorProperty(Field.TO).get()).isNotEmpty();

        model.recipients().toProperty().set("bob@example.com");

        assertThat(model.errorProperty(Field.TO).get()).isEmpty();
    }

    @Test
    void twoRecipientsAreQueuedAsTwoJobs() throws Exception {
        model.send();

        assertThat(model.resultProperty().get()).isEqualTo("Queued 2 e-mails as 2 jobs (enqueued now)");
        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
        assertThat(queuedJobs()).isEqualTo(2);
        assertThat(services.parts().queries().counts().of(JobState.ENQUEUED)).isEqualTo(2);
        assertThat(model.recipients().fromProperty().get()).isEqualTo(RecipientsModel.DEFAULT_FROM);
    }

    @Test
    void delayedSendIsScheduledAndLinksToScheduledJobs() throws Exception {
        model.schedule().scheduleProperty().set(Schedule.AFTER);
        model.schedule().delayAmountProperty().set(2);
        model.schedule().delayUnitProperty().set(ScheduleModel.DelayUnit.HOURS);

        model.send();

        assertThat(model.resultProperty().get()).startsWith("Scheduled 2 e-mails for ");
        assertThat(services.parts().queries().counts().of(JobState.SCHEDULED)).isEqualTo(2);
        model.showQueuedJobs();
        assertThat(navigation.currentProperty().get()).isEqualTo(Screen.JOBS);
        assertThat(navigation.jobsFilterRequestProperty().get()).contains(JobState.SCHEDULED);
    }

    @Test
    void cronSendCreatesRecurringJobs() {
        model.schedule().scheduleProperty().set(Schedule.CRON);
        model.schedule().cronProperty().set("0 9 * * MON-FRI");
        assertThat(model.schedule().cronNextRunProperty().get()).startsWith("Next run: ");

        model.send();

        assertThat(model.resultProperty().get()).startsWith("Created 2 recurring jobs, first run ")
                .endsWith(". The schedule is back to Now, so the next Queue sends once.");
        assertThat(model.queuedState()).isEqualTo(Optional.empty());
        // Issue 19: left on Cron, the next Queue made two more recurring jobs.
        assertThat(model.schedule().scheduleProperty().get()).isEqualTo(Schedule.NOW);
        assertThat(model.schedule().cronProperty().get()).as("kept, for a second recurring job").isEqualTo("0 9 * * MON-FRI");
    }

    @Test
    void recipientsAreCountedAsTyped() {
        model.recipients().toProperty().set("a@x.org, b@x.org;\n c@x.org,, ;\n");

        assertThat(model.recipients().recipientCountProperty().get()).isEqualTo("3 recipients");
        assertThat(model.errorProperty(Field.TO).get()).isEmpty();
    }

    /** Issue 19: "bob@@bad, carol@example.org, not-an-email" read "3 recipients" and previewed bob@@bad until Queue. */
    @Test
    void badAddressesAreMarkedAtToAsTypedAndLeftOutOfThePreviewAndNothingIsQueued() throws Exception {
        model.recipients().toProperty().set("bob@@bad, carol@example.org, not-an-email, Carol@example.org");

        assertThat(model.recipients().recipientCountProperty().get())
                .isEqualTo("1 recipient · 2 not valid · 1 duplicate left out");
        assertThat(model.errorProperty(Field.TO).get()).contains("\"bob@@bad\"").contains("\"not-an-email\"")
                .doesNotContain("carol");
        assertThat(model.recipients().list()).extracting(Recipient::address).containsExactly("carol@example.org");
        assertThat(queuedJobs()).isZero();

        model.recipients().toProperty().set("carol@example.org");

        assertThat(model.errorProperty(Field.TO).get()).as("corrected: the mark goes").isEmpty();
        assertThat(model.recipients().recipientCountProperty().get()).isEqualTo("1 recipient");
    }

    @Test
    void fieldTheRecipientsLackIsRefusedAtTheBodyNamingItAndQueuesNothing() throws Exception {
        model.message().bodyProperty().set("Dear {{first_name}} of {{company}},");

        model.send();

        assertThat(model.errorProperty(Field.BODY).get())
                .contains("The body uses the fields company, first_name, which 2 of 2 recipients lack");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void templateSyntaxErrorIsShownAtTheSubjectWithLineAndColumn() throws Exception {
        model.message().subjectProperty().set("Hello {{email");

        model.send();

        assertThat(model.errorProperty(Field.SUBJECT).get()).contains("line 1, column 7");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void previewShowsEachRecipientsMergedEmailInTurn() {
        model.message().subjectProperty().set("For {{email}}");
        model.message().bodyProperty().set("Hi {{email}}");
        PreviewModel preview = model.preview();

        assertThat(model.recipients().list()).extracting(dev.jobdeck.core.jobs.Recipient::address)
                .containsExactly("ann@example.com", "bob@example.com");
        assertThat(preview.positionProperty().get()).isEqualTo("Recipient 1 of 2: ann@example.com");
        assertThat(preview.subjectProperty().get()).isEqualTo("For ann@example.com");
        assertThat(preview.hasPreviousProperty().get()).isFalse();

        preview.next();

        assertThat(preview.positionProperty().get()).isEqualTo("Recipient 2 of 2: bob@example.com");
        assertThat(preview.textProperty().get()).isEqualTo("Hi bob@example.com");
        assertThat(preview.hasNextProperty().get()).isFalse();

        model.recipients().toProperty().set("carol@example.com");

        assertThat(preview.positionProperty().get()).isEqualTo("Recipient 1 of 1: carol@example.com");
    }

    @Test
    void previewOfHtmlBlocksRemoteContentAndSaysTheTextPartIsDerived() {
        model.message().formatProperty().set(BodyFormat.HTML);
        model.message().bodyProperty().set("<p>Hi {{email}}</p><img src=\"http://tracker.test/p.png\">");
        PreviewModel preview = model.preview();

        assertThat(preview.htmlDocumentProperty().get()).contains(PreviewDocument.POLICY).contains("<p>Hi ann@example.com</p>");
        assertThat(preview.textLabelProperty().get()).isEqualTo("Plain-text part (derived from the HTML)");
        assertThat(preview.textProperty().get()).isEqualTo("Hi ann@example.com");
        assertThat(model.message().textAlternativeHintProperty().get()).contains("derived from the HTML");

        model.message().textAlternativeProperty().set("Hello {{email}}");

        assertThat(preview.textLabelProperty().get()).isEqualTo("Plain-text part (as written)");
        assertThat(preview.textProperty().get()).isEqualTo("Hello ann@example.com");
        assertThat(model.message().textAlternativeHintProperty().get()).contains("sent as the plain-text part");
    }

    @Test
    void previewNamesAMissingFieldInsteadOfShowingEmptyText() {
        model.message().subjectProperty().set("Hi {{first_name}}");

        assertThat(model.preview().problemProperty().get())
                .isEqualTo("The subject uses the field first_name, which ann@example.com lacks (it has only email).");
        assertThat(model.preview().subjectProperty().get()).isEmpty();
    }

    /** Issue 19: Clear emptied a filled form at one click; the question says what would go. */
    @Test
    void clearAsksFirstNamingWhatWouldBeEmptiedAndAnEmptyFormIsClearedWithoutAsking() {
        assertThat(model.clearQuestion()).contains(
                "Clear the form? To, Subject and Body will be emptied; From stays. Nothing is queued or deleted.");

        model.clear();

        assertThat(model.clearQuestion()).as("nothing left to lose").isEmpty();
        assertThat(model.recipients().fromProperty().get()).isEqualTo(RecipientsModel.DEFAULT_FROM);
    }

    @Test
    void templateIsSavedPickedUpdatedAndDeleted() throws Exception {
        model.message().subjectProperty().set("Welcome {{email}}");
        model.message().formatProperty().set(BodyFormat.HTML);
        model.message().bodyProperty().set("<p>Welcome</p>");
        model.templates().templateNameProperty().set("Welcome");

        model.templates().saveTemplate();

        assertThat(model.templates().templateMessageProperty().get()).isEqualTo("Saved the template \u201cWelcome\u201d.");
        assertThat(model.templates().templateNames()).containsExactly("Welcome");
        model.clear();
        assertThat(model.message().subjectProperty().get()).isEmpty();

        model.templates().templateChoiceProperty().set("Welcome");

        assertThat(model.message().subjectProperty().get()).isEqualTo("Welcome {{email}}");
        assertThat(model.message().formatProperty().get()).isEqualTo(BodyFormat.HTML);
        assertThat(model.templates().templateNameProperty().get()).isEqualTo("Welcome");

        model.message().bodyProperty().set("<p>Welcome back</p>");
        model.templates().saveTemplate();

        assertThat(model.templates().templateMessageProperty().get()).isEqualTo("Updated the template \u201cWelcome\u201d.");
        assertThat(services.forScreens().templates().find("Welcome").orElseThrow().body()).isEqualTo("<p>Welcome back</p>");

        model.templates().deleteTemplate();

        assertThat(model.templates().templateNames()).isEmpty();
        assertThat(services.forScreens().templates().all()).isEmpty();
        assertThat(model.message().bodyProperty().get()).isEqualTo("<p>Welcome back</p>");
    }

    @Test
    void templateWithoutANameIsNotSaved() throws Exception {
        model.templates().saveTemplate();

        assertThat(model.templates().templateNameErrorProperty().get()).isEqualTo("Enter a name to save the template under.");
        assertThat(model.templates().templateOutcomeProperty().get()).isEqualTo(Outcome.DANGER);
        assertThat(services.forScreens().templates().all()).isEmpty();
    }

    @Test
    void queuedEmailsRecordTheTemplateTheyCameFrom() throws Exception {
        model.templates().templateNameProperty().set("Greeting");
        model.templates().saveTemplate();

        model.send();

        java.util.UUID jobId = services.forScreens().queries().page(Optional.empty(), 10).rows().get(0).jobId();
        assertThat(services.parts().outbox().findByJobId(jobId).orElseThrow().templateName()).isEqualTo("Greeting");
    }

    @Test
    void testSendDeliversThePreviewedRecipientsEmailToTheTypedAddressOnly() throws Exception {
        model.message().subjectProperty().set("For {{email}}");
        model.preview().next();
        model.preview().testToProperty().set("qa@example.com");

        model.preview().sendTest();

        assertThat(model.preview().testOutcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
        assertThat(model.preview().testResultProperty().get())
                .startsWith("Sent to qa@example.com through 127.0.0.1:").contains("(as bob@example.com would get it)")
                .contains("The server replied: 250");
        assertThat(services.sink().orElseThrow().messages()).singleElement()
                .satisfies(m -> assertThat(m.subject()).isEqualTo("For bob@example.com"));
        assertThat(queuedJobs()).isZero();

        // Issue 19: the result spoke of the form before the edit; it goes with the edit.
        model.message().subjectProperty().set("For {{email}}, again");
        assertThat(model.preview().testResultProperty().get()).isEmpty();
        assertThat(model.preview().testOutcomeProperty().get()).isEqualTo(Outcome.NONE);
    }

    @Test
    void testSendToABadAddressIsRefusedThereAndSendsNothing() throws Exception {
        model.preview().testToProperty().set("qa@");

        model.preview().sendTest();

        assertThat(model.preview().testToErrorProperty().get()).contains("qa@");
        assertThat(model.preview().testOutcomeProperty().get()).isEqualTo(Outcome.DANGER);
        assertThat(services.sink().orElseThrow().messages()).isEmpty();
    }

    @Test
    void testSendToAServerThatIsDownShowsTheClassifiedFailure() {
        services.sink().orElseThrow().stop();
        model.preview().testToProperty().set("qa@example.com");

        model.preview().sendTest();

        assertThat(model.preview().testResultProperty().get()).startsWith("Not sent: a temporary failure (a queued job would retry).");
    }
}
