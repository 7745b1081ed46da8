package dev.jobdeck.ui.compose;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.Navigation;
import dev.jobdeck.ui.Screen;
import dev.jobdeck.ui.TaskRunner;
import dev.jobdeck.ui.compose.ComposeModel.Outcome;
import dev.jobdeck.ui.compose.ComposeModel.Schedule;
import org.jobrunr.jobs.states.StateName;
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
        model = new ComposeModel(services.queue(), TaskRunner.direct(), navigation, Clock.systemDefaultZone());
        model.toProperty().set("ann@example.com, bob@example.com");
        model.subjectProperty().set("Hello");
        model.bodyProperty().set("Body");
    }

    @AfterEach
    void close() {
        services.close();
    }

    private long queuedJobs() throws Exception {
        return services.queries().counts().total();
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
            case FROM -> model.fromProperty().set(value);
            case TO -> model.toProperty().set(value);
            case CC -> model.ccProperty().set(value);
            default -> model.subjectProperty().set(value);
        }

        model.send();

        assertThat(model.errorProperty(field).get()).contains(message);
        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.DANGER);
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void lineBreakInSubjectIsRefused() throws Exception {
        model.subjectProperty().set("Hello\r\nBcc: everyone@example.com");

        model.send();

        assertThat(model.errorProperty(Field.SUBJECT).get()).contains("line breaks");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void unparsableCronIsRefused() throws Exception {
        model.scheduleProperty().set(Schedule.CRON);
        model.cronProperty().set("every monday");

        model.send();

        assertThat(model.errorProperty(Field.WHEN).get()).contains("not a cron expression");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void timeInThePastIsRefused() throws Exception {
        model.scheduleProperty().set(Schedule.AT);
        model.atDateProperty().set(LocalDate.now().minusDays(1));
        model.atTimeProperty().set("09:00");

        model.send();

        assertThat(model.errorProperty(Field.WHEN).get()).contains("in the past");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void malformedTimeIsRefusedWithTheExpectedFormat() throws Exception {
        model.scheduleProperty().set(Schedule.AT);
        model.atTimeProperty().set("9 o'clock");

        model.send();

        assertThat(model.errorProperty(Field.WHEN).get()).contains("HH:mm");
        assertThat(queuedJobs()).isZero();
    }

    @Test
    void errorClearsWhenTheFieldIsEdited() {
        model.toProperty().set("bob");
        model.send();
        assertThat(model.errorProperty(Field.TO).get()).isNotEmpty();

        model.toProperty().set("bob@example.com");

        assertThat(model.errorProperty(Field.TO).get()).isEmpty();
    }

    @Test
    void twoRecipientsAreQueuedAsTwoJobs() throws Exception {
        model.send();

        assertThat(model.resultProperty().get()).isEqualTo("Queued 2 e-mails as 2 jobs (enqueued now)");
        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
        assertThat(queuedJobs()).isEqualTo(2);
        assertThat(services.queries().counts().of(StateName.ENQUEUED)).isEqualTo(2);
        assertThat(model.fromProperty().get()).isEqualTo(ComposeModel.DEFAULT_FROM);
    }

    @Test
    void delayedSendIsScheduledAndLinksToScheduledJobs() throws Exception {
        model.scheduleProperty().set(Schedule.AFTER);
        model.delayAmountProperty().set(2);
        model.delayUnitProperty().set(ComposeModel.DelayUnit.HOURS);

        model.send();

        assertThat(model.resultProperty().get()).startsWith("Scheduled 2 e-mails for ");
        assertThat(services.queries().counts().of(StateName.SCHEDULED)).isEqualTo(2);
        model.showQueuedJobs();
        assertThat(navigation.currentProperty().get()).isEqualTo(Screen.JOBS);
        assertThat(navigation.jobsFilterRequestProperty().get()).contains(StateName.SCHEDULED);
    }

    @Test
    void cronSendCreatesRecurringJobs() {
        model.scheduleProperty().set(Schedule.CRON);
        model.cronProperty().set("0 9 * * MON-FRI");
        assertThat(model.cronNextRunProperty().get()).startsWith("Next run: ");

        model.send();

        assertThat(model.resultProperty().get()).startsWith("Created 2 recurring jobs, first run ");
        assertThat(model.queuedState()).isEqualTo(Optional.empty());
    }

    @Test
    void recipientsAreCountedWithoutParsing() {
        model.toProperty().set("a@x.org, b@x.org;\n c@x.org,, ;\n");

        assertThat(model.recipientCountProperty().get()).isEqualTo("3 recipients");
        assertThat(ComposeModel.countRecipients("x@y.z")).isEqualTo(1);
        assertThat(ComposeModel.countRecipients(" , ;")).isZero();
    }
}
