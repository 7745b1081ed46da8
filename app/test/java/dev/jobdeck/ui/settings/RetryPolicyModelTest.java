package dev.jobdeck.ui.settings;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.settings.RetryPolicy;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.settings.RetryPolicyModel.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyModelTest {

    @TempDir
    Path temp;

    private ConsoleServices services;
    private RetryPolicyModel model;

    @BeforeEach
    void open() throws Exception {
        services = Consoles.open(temp);
        model = new RetryPolicyModel(services.forScreens().settings(), TaskRunner.direct());
    }

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void showsTheSavedPolicyAndTheScheduleItGives() {
        assertThat(model.retriesProperty().get()).isEqualTo("10");
        assertThat(model.firstDelayProperty().get()).isEqualTo("3s");
        assertThat(model.factorProperty().get()).isEqualTo("3");
        assertThat(model.maxDelayProperty().get()).isEqualTo("1d");
        assertThat(model.rulesProperty().get()).isEqualTo("4xx retry\n5xx bounce");

        model.firstDelayProperty().set("15m");
        model.factorProperty().set("2");

        assertThat(model.scheduleProperty().get()).startsWith("Retries after 15 min, 30 min, 1 h, 2 h, 4 h, … (10 in all)");
    }

    @Test
    void savesAPolicyEveryHostReads() throws Exception {
        model.retriesProperty().set("4");
        model.firstDelayProperty().set("90s");
        model.factorProperty().set("1.5");
        model.maxDelayProperty().set("2h");
        model.rulesProperty().set("4xx retry\n5.2.2 retry\n5xx bounce");

        model.save();

        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
        RetryPolicy saved = RetryPolicy.load(services.parts().settings());
        assertThat(saved.maxRetries()).isEqualTo(4);
        assertThat(saved.firstDelay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(saved.backoffFactor()).isEqualTo(1.5);
        assertThat(saved.maxDelay()).isEqualTo(Duration.ofHours(2));
        assertThat(saved.rulesText()).isEqualTo("4xx retry\n5.2.2 retry\n5xx bounce");
    }

    @Test
    void badInputIsNamedAtItsFieldAndNothingIsSaved() throws Exception {
        model.retriesProperty().set("many");
        model.firstDelayProperty().set("2h");
        model.maxDelayProperty().set("1h");
        model.rulesProperty().set("4xx retry\n5xx perhaps");

        model.save();

        assertThat(model.errorProperty(Field.RETRIES).get()).isEqualTo("Enter a whole number from 0 to 100.");
        assertThat(model.errorProperty(Field.RULES).get()).isEqualTo("Line 2: 'perhaps' must be 'retry' or 'bounce'.");
        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.DANGER);
        assertThat(model.scheduleProperty().get()).isEmpty();
        assertThat(RetryPolicy.load(services.parts().settings())).isEqualTo(RetryPolicy.defaults());

        model.retriesProperty().set("3");
        model.rulesProperty().set("4xx retry");

        assertThat(model.errorProperty(Field.MAX_DELAY).get())
                .isEqualTo("The longest delay must be at least the first delay and at most 30 days.");
        model.restoreDefaults();
        assertThat(model.errorProperty(Field.MAX_DELAY).get()).isEmpty();
        assertThat(model.scheduleProperty().get()).contains("(10 in all)");
    }

    @Test
    void moreRulesThanTheStoreKeepsAreRefusedAtTheRules() throws Exception {
        model.rulesProperty().set("4xx retry\n".repeat(201));

        model.save();

        assertThat(model.errorProperty(Field.RULES).get()).isEqualTo("At most 200 rules are allowed (201 given).");
        assertThat(RetryPolicy.load(services.parts().settings())).isEqualTo(RetryPolicy.defaults());
    }
}
