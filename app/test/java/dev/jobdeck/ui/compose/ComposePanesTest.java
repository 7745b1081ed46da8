package dev.jobdeck.ui.compose;

import javafx.fxml.FXML;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The Compose screen stays one small view per pane: its own FXML, named after its controller, and a thin controller. */
class ComposePanesTest {

    @ParameterizedTest
    @ValueSource(classes = {ComposeController.class, ComposeRecipientsController.class, ComposeTemplatesController.class,
            ComposeMessageController.class, ComposeAttachmentsController.class, ComposeScheduleController.class,
            ComposePreviewController.class})
    void eachControllerBindsAtMostFortyControlsOfItsOwnView(Class<?> controller) throws IOException {
        long controls = Arrays.stream(controller.getDeclaredFields())
                .filter(field -> field.isAnnotationPresent(FXML.class))
                .filter(field -> !field.getName().endsWith("Controller"))
                .count();
        assertThat(controls).isPositive().isLessThanOrEqualTo(40);

        String view = "/fxml/" + controller.getSimpleName().replace("Controller", "") + ".fxml";
        try (InputStream in = controller.getResourceAsStream(view)) {
            assertThat(in).as(view).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("fx:controller=\"" + controller.getName() + "\"");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ComposeRecipients", "ComposeTemplates", "ComposeMessage", "ComposeAttachments",
            "ComposeSchedule", "ComposePreview"})
    void theScreenIncludesEachPaneAndHoldsItsController(String pane) throws IOException {
        try (InputStream in = ComposeController.class.getResourceAsStream("/fxml/Compose.fxml")) {
            String screen = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String include = "source=\"" + pane + ".fxml\"";
            assertThat(screen).contains(include);
            int at = screen.indexOf(include);
            String tag = screen.substring(screen.lastIndexOf("<fx:include", at), at);
            String id = tag.replaceAll("(?s).*fx:id=\"([^\"]+)\".*", "$1");
            Field field = Arrays.stream(ComposeController.class.getDeclaredFields())
                    .filter(f -> f.getName().equals(id + "Controller")).findFirst().orElseThrow(
                            () -> new AssertionError("ComposeController has no field " + id + "Controller"));
            assertThat(field.getType().getSimpleName()).isEqualTo(pane + "Controller");
        }
    }
}
