package dev.jobdeck.ui.shell;

import dev.jobdeck.ui.fx.Navigation;
import dev.jobdeck.ui.fx.Screen;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.StackPane;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The window frame: navigation on the left, the current screen in the middle, status at the bottom.
 * It shows before the services are open (with the shell's "opening" message in the middle); screens and
 * status arrive with {@link #attach}, and each screen is built the first time it is shown.
 */
public final class MainController {

    private final Navigation navigation;
    private final ShellModel shell;
    private final Map<Screen, Parent> loaded = new EnumMap<>(Screen.class);
    private Map<Screen, ToggleButton> buttons;
    private Function<Screen, Parent> screens;

    @FXML private ToggleButton navCompose;
    @FXML private ToggleButton navJobs;
    @FXML private ToggleButton navHosts;
    @FXML private ToggleButton navMailbox;
    @FXML private ToggleButton navSettings;
    @FXML private StackPane content;
    @FXML private ProgressIndicator openingProgress;
    @FXML private Label openingMessage;
    @FXML private Label hostStatus;
    @FXML private Label smtpStatus;
    @FXML private Label dataStatus;
    @FXML private Label storeHealthBanner;

    public MainController(Navigation navigation, ShellModel shell) {
        this.navigation = navigation;
        this.shell = shell;
    }

    @FXML
    private void initialize() {
        ToggleGroup group = new ToggleGroup();
        buttons = Map.of(Screen.COMPOSE, navCompose, Screen.JOBS, navJobs,
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
        navigation.currentProperty().addListener((obs, old, screen) -> show(screen));
        show(navigation.currentProperty().get());
        openingMessage.textProperty().bind(shell.messageProperty());
        openingProgress.visibleProperty().bind(shell.phaseProperty().isEqualTo(ShellModel.Phase.OPENING));
    }

    /** The services are open: from now on the navigation shows screens, built by {@code screens} on first use. */
    public void attach(Function<Screen, Parent> screens, StatusModel status) {
        this.screens = screens;
        hostStatus.textProperty().bind(status.hostProperty());
        smtpStatus.textProperty().bind(status.smtpProperty());
        dataStatus.textProperty().bind(status.dataProperty());
        storeHealthBanner.textProperty().bind(status.storeProblemProperty());
        storeHealthBanner.visibleProperty().bind(status.storeSickProperty());
        storeHealthBanner.managedProperty().bind(status.storeSickProperty());
        show(navigation.currentProperty().get());
    }

    private void show(Screen screen) {
        buttons.get(screen).setSelected(true);
        if (screens != null) {
            content.getChildren().setAll(loaded.computeIfAbsent(screen, screens));
        }
    }
}
