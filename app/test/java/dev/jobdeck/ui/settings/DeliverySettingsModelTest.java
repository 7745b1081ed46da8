package dev.jobdeck.ui.settings;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.settings.DeliverySettingsModel.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DeliverySettingsModelTest {

    @TempDir
    Path tempDir;

    private ConsoleServices services;
    private DeliverySettingsModel model;

    @BeforeEach
    void open() throws Exception {
        services = ConsoleServices.open(new DataDirectory(tempDir), ConsoleServices.Options.console());
        model = new DeliverySettingsModel(services.forScreens().settings()::lastDelivery, services.forScreens().settings()::updateDelivery, TaskRunner.direct());
    }

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void deliveryLimitsAreSavedInTheStoreWhereEveryHostReadsThem() throws Exception {
        assertThat(model.bulkSizeProperty().get()).isEqualTo("200");
        model.bulkSizeProperty().set("20");
        model.maxConnectionsProperty().set("4");
        model.maxPerSecondProperty().set("100");

        model.save();

        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
        assertThat(DeliverySettings.load(services.parts().settings())).isEqualTo(new DeliverySettings(20, 4, 100));
    }

    @ParameterizedTest
    @CsvSource({"BULK_SIZE, 0", "BULK_SIZE, 501", "MAX_CONNECTIONS, -1", "MAX_PER_SECOND, fast"})
    void aDeliveryValueOutOfRangeIsRefusedBesideItsFieldAndNothingIsSaved(Field field, String text)
            throws Exception {
        switch (field) {
            case BULK_SIZE -> model.bulkSizeProperty().set(text);
            case MAX_CONNECTIONS -> model.maxConnectionsProperty().set(text);
            default -> model.maxPerSecondProperty().set(text);
        }

        model.save();

        assertThat(model.errorProperty(field).get()).contains("must be a whole number");
        assertThat(DeliverySettings.load(services.parts().settings())).isEqualTo(DeliverySettings.defaults());
    }

    @Test
    void anErrorClearsWhenItsFieldIsEditedAndOnlyThatOne() {
        model.bulkSizeProperty().set("0");
        model.maxPerSecondProperty().set("fast");
        model.save();

        model.bulkSizeProperty().set("20");

        assertThat(model.errorProperty(Field.BULK_SIZE).get()).isEmpty();
        assertThat(model.errorProperty(Field.MAX_PER_SECOND).get()).contains("must be a whole number");
    }
}
