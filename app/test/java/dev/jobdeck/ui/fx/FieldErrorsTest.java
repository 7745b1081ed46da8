package dev.jobdeck.ui.fx;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FieldErrorsTest {

    enum Field { HOST, PORT }

    private final FieldErrors<Field> errors = new FieldErrors<>(Field.class);

    @Test
    void everyFieldStartsWithoutAMessage() {
        assertThat(errors.property(Field.HOST).get()).isEmpty();
        assertThat(errors.property(Field.PORT).get()).isEmpty();
        assertThat(errors.any()).isFalse();
    }

    @Test
    void editingAFieldClearsOnlyThatFieldsMessage() {
        StringProperty host = new SimpleStringProperty("");
        errors.clearOnEdit(host, Field.HOST);
        errors.set(Field.HOST, "Enter a host name.");
        errors.set(Field.PORT, "Enter a port.");

        host.set("smtp.example.com");

        assertThat(errors.get(Field.HOST)).isEmpty();
        assertThat(errors.get(Field.PORT)).isEqualTo("Enter a port.");
        assertThat(errors.any()).isTrue();
    }

    @Test
    void clearAllRemovesEveryMessageAndTheViewSeesIt() {
        errors.set(Field.HOST, "Enter a host name.");
        errors.writable(Field.PORT).set("Enter a port.");
        assertThat(errors.property(Field.PORT).get()).isEqualTo("Enter a port.");

        errors.clearAll();

        assertThat(errors.property(Field.HOST).get()).isEmpty();
        assertThat(errors.property(Field.PORT).get()).isEmpty();
        assertThat(errors.any()).isFalse();
    }
}
