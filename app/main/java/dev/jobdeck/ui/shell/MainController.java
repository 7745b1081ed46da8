package dev.jobdeck.ui.shell;

import dev.jobdeck.ui.Navigation;
import dev.jobdeck.ui.Screen;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.StackPane;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/** The window frame: navigation on the left, the current screen in the middle, status at the bottom. */
public final class MainController {

    private final Navigation navigation;
    private final Function<Screen, Parent> screens;
    private final StatusModel status;
    private final Map<Screen, Parent> loaded = new EnumMap<>(Screen.class);

    @FXML private ToggleButton navCompose;
    @FXML private ToggleButton navJobs;
    @FXML private ToggleButton navHosts;
    @FXML private ToggleButton navMailbox;
    @FXML private ToggleButton navSettings;
    @FXML private StackPane content;
    @FXML private Label hostStatus;
    @FXML private Label smtpStatus;
    @FXML private Label dataStatus;

    public MainController(Navigation navigation, Function<Screen, Parent> screens, StatusModel status) {
        this.navigation = navigation;
        this.screens = screens;
        this.status = status;
    }

    @FXML
    private void initialize() {
        ToggleGroup group = new ToggleGroup();
        Map<Screen, ToggleButton> buttons = Map.of(Screen.COMPOSE, navCompose, Screen.JOBS, navJobs,
                Screen.HOSTS, navHosts, Screen.MAILBOX, navMailbox, Screen.SETTINGS, navSettings);
        buttons.forEach((screen, button) -> {
            button.setToggleGroup(group);
            button.setUserData(screen);
        });
        // A selected navigation button stays selected: clicking it again must not leave the group empty.
        group.selectedToggleProperty().addListener((obs, old, selected) -> {
            if (selected == null) {
                group.selectToggle(old);
            } else {
                navigation.show((Screen) ((Toggle) selected).getUserData());
            }
        });
        navigation.currentProperty().addListener((obs, old, screen) -> show(screen, buttons.get(screen)));
        show(navigation.currentProperty().get(), buttons.get(navigation.currentProperty().get()));
        hostStatus.textProperty().bind(status.hostProperty());
        smtpStatus.textProperty().bind(status.smtpProperty());
        dataStatus.textProperty().bind(status.dataProperty());
    }

    private void show(Screen screen, ToggleButton button) {
        button.setSelected(true);
        Parent view = loaded.computeIfAbsent(screen, screens);
        content.getChildren().setAll(view);
    }
}
