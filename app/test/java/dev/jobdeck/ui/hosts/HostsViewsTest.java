package dev.jobdeck.ui.hosts;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import javafx.fxml.FXML;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Hosts screen stays a screen of small views (issue 18, decision 44). */
class HostsViewsTest {

    private static final int MAX_FXML_FIELDS = 40;

    @Test
    void noControllerOfTheHostsScreenHasMoreThanFortyFxmlFields() {
        List<JavaClass> controllers = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.jobdeck.ui.hosts").stream()
                .filter(type -> type.getSimpleName().endsWith("Controller")).toList();

        assertThat(controllers).extracting(JavaClass::getSimpleName).contains("HostsController");
        assertThat(controllers).allSatisfy(controller -> assertThat(controller.getFields().stream()
                .filter(field -> field.isAnnotatedWith(FXML.class)).count())
                .as(controller.getSimpleName() + "'s @FXML fields").isLessThanOrEqualTo(MAX_FXML_FIELDS));
    }
}
