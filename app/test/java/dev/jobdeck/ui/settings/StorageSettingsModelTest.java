package dev.jobdeck.ui.settings;

import dev.jobdeck.core.settings.RetentionPeriod;
import dev.jobdeck.ui.fx.TaskRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StorageSettingsModelTest {

    private final List<RetentionPeriod> saved = new ArrayList<>();
    private final StorageSettingsModel model = new StorageSettingsModel(RetentionPeriod::defaults, saved::add,
            () -> 221L * 1024 * 1024, TaskRunner.direct());

    @Test
    void showsThePeriodInForceAndTheStoreSize() {
        assertThat(model.retentionProperty().get()).isEqualTo("36h");
        assertThat(model.storeSizeProperty().get()).isEqualTo("221.0 MB");
    }

    @Test
    void aValidPeriodIsSaved() {
        model.retentionProperty().set(" 7d ");

        model.save();

        assertThat(saved).containsExactly(new RetentionPeriod(Duration.ofDays(7)));
        assertThat(model.retentionProperty().get()).isEqualTo("7d");
        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0h", "-1h", "soon", "", "3651d", "99999999999d"})
    void aPeriodOutsideJobRunrsLimitsIsRefusedWhereTypedAndNothingIsSaved(String typed) {
        model.retentionProperty().set(typed);

        model.save();

        assertThat(saved).isEmpty();
        assertThat(model.retentionErrorProperty().get()).startsWith("Keep succeeded jobs for a period from 1m to 3650d")
                .doesNotContain("\n").endsWith("is not one.");
        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.NONE);
    }

    @Test
    void aConnectionTestSaysWhatTheStoreAnsweredOrWhyItDidNot() {
        StorageSettingsModel answering = new StorageSettingsModel(RetentionPeriod::defaults, saved::add, () -> 0L,
                "The PostgreSQL store at db:5432/mail", () -> "Connected as jobdeck in 2 ms: PostgreSQL 15.18.",
                TaskRunner.direct());
        assertThat(answering.storeProperty().get()).isEqualTo("The PostgreSQL store at db:5432/mail");
        answering.testConnection();
        assertThat(answering.testResultProperty().get()).isEqualTo("Connected as jobdeck in 2 ms: PostgreSQL 15.18.");
        assertThat(answering.testOutcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
        assertThat(answering.testingProperty().get()).isFalse();

        StorageSettingsModel away = new StorageSettingsModel(RetentionPeriod::defaults, saved::add, () -> 0L,
                "The PostgreSQL store at db:5432/mail", () -> {
                    throw new java.sql.SQLException("Connection to db:5432 refused.\nCheck that the hostname …");
                }, TaskRunner.direct());
        away.testConnection();
        assertThat(away.testResultProperty().get())
                .isEqualTo("The store does not answer: Connection to db:5432 refused.");
        assertThat(away.testOutcomeProperty().get()).isEqualTo(Outcome.DANGER);
    }
}
