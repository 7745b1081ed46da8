package dev.jobdeck.ui;

import atlantafx.base.theme.PrimerLight;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.ui.shell.MainController;
import dev.jobdeck.ui.shell.StatusModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Callback;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;

/**
 * The UI half of the composition root: builds the UI services once (task runner, refresher, navigation),
 * the controller factory that hands each controller its model, and the main window.
 */
public final class ConsoleUi implements AutoCloseable {

    public static final List<String> STYLESHEETS = List.of("/styles/tokens-light.css", "/styles/jobdeck.css");

    private final ConsoleServices services;
    private final FxTaskRunner tasks = new FxTaskRunner(3);
    private final Refresher refresher = new Refresher();
    private final Navigation navigation = new Navigation();
    private final Clock clock = Clock.systemDefaultZone();
    private final FilePicker filePicker;
    private final ViewLoader viewLoader;
    private StatusModel status;
    private ScheduledFuture<?> statusRefresh;

    public ConsoleUi(ConsoleServices services) {
        this(services, FilePicker.system());
    }

    /** With another way to pick files than the OS's dialogs: for UI tests. */
    public ConsoleUi(ConsoleServices services, FilePicker filePicker) {
        this.services = services;
        this.filePicker = filePicker;
        this.viewLoader = new ViewLoader(controllerFactory());
    }

    private Callback<Class<?>, Object> controllerFactory() {
        return type -> {
            if (type == MainController.class) {
                return new MainController(navigation, this::loadScreen, status);
            }
            return ScreenControllers.create(type, services, tasks, refresher, navigation, clock, status, filePicker);
        };
    }

    private Parent loadScreen(Screen screen) {
        return viewLoader.load(ScreenControllers.controllerOf(screen)).root();
    }

    /** Shows the console in {@code stage}. */
    public void show(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        status = new StatusModel(services);
        Parent root = viewLoader.load(MainController.class).root();
        Scene scene = new Scene(root, 1280, 800);
        for (String sheet : STYLESHEETS) {
            scene.getStylesheets().add(Objects.requireNonNull(ConsoleUi.class.getResource(sheet), sheet).toExternalForm());
        }
        stage.setTitle("JobDeck — " + services.directory().path());
        stage.setMinWidth(960);
        stage.setMinHeight(600);
        stage.setScene(scene);
        stage.show();
        LatestValue<Boolean> statusUpdate = new LatestValue<>(Platform::runLater, ignored -> status.refresh());
        statusRefresh = refresher.every(1000, () -> statusUpdate.publish(Boolean.TRUE));
    }

    public Navigation navigation() {
        return navigation;
    }

    @Override
    public void close() throws InterruptedException {
        if (statusRefresh != null) {
            statusRefresh.cancel(false);
        }
        refresher.close();
        tasks.close();
    }
}
