package dev.jobdeck.ui;

import atlantafx.base.theme.PrimerLight;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.ScreenServices;
import dev.jobdeck.ui.fx.Confirm;
import dev.jobdeck.ui.fx.FilePicker;
import dev.jobdeck.ui.fx.FxTaskRunner;
import dev.jobdeck.ui.fx.LatestValue;
import dev.jobdeck.ui.fx.Navigation;
import dev.jobdeck.ui.fx.Refresher;
import dev.jobdeck.ui.fx.Screen;
import dev.jobdeck.ui.fx.ViewLoader;
import dev.jobdeck.ui.shell.MainController;
import dev.jobdeck.ui.shell.ShellModel;
import dev.jobdeck.ui.shell.StatusModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * The UI half of the composition root: builds the UI services once (task runner, refresher, navigation),
 * the controller factory that hands each controller its model, and the main window.
 *
 * <p>The window can show before the services exist: {@link #ConsoleUi(Path)} and {@link #show} put up the
 * shell with an "opening" message, {@link #attach} brings the screens once the services are open (or
 * {@link #openingFailed} says why they are not). {@link #ConsoleUi(ConsoleServices)} is the same with the
 * services already open, attached as soon as the window shows.
 */
public final class ConsoleUi implements AutoCloseable {

    public static final List<String> STYLESHEETS = List.of("/styles/tokens-light.css", "/styles/jobdeck.css");

    private final ShellModel shell;
    private final FxTaskRunner tasks = new FxTaskRunner(3);
    private final Refresher refresher = new Refresher();
    private final Navigation navigation = new Navigation();
    private final Clock clock = Clock.systemDefaultZone();
    private final FilePicker filePicker;
    private final ViewLoader viewLoader = new ViewLoader(this::controllerFor);
    private final ConsoleServices openAlready;
    /** What the screens use of the services, once they are open. */
    private ScreenServices services;
    private MainController main;
    private StatusModel status;
    private ScheduledFuture<?> statusRefresh;
    private boolean closed;

    /** A console whose services are still opening for the data directory {@code dataDir}. */
    public ConsoleUi(Path dataDir) {
        this.shell = new ShellModel(dataDir);
        this.filePicker = FilePicker.system();
        this.openAlready = null;
    }

    /** A console on services that are open already. */
    public ConsoleUi(ConsoleServices services) {
        this(services, FilePicker.system());
    }

    /** On services that are open already, with another way to pick files than the OS's dialogs: for UI tests. */
    public ConsoleUi(ConsoleServices services, FilePicker filePicker) {
        this.shell = new ShellModel(services.directory().path());
        this.filePicker = filePicker;
        this.openAlready = services;
    }

    private Object controllerFor(Class<?> type) {
        if (type == MainController.class) {
            return new MainController(navigation, shell);
        }
        return ScreenControllers.create(type, Objects.requireNonNull(services, "screens are built once the services are open"),
                tasks, refresher, navigation, clock, status, filePicker);
    }

    private Parent loadScreen(Screen screen) {
        return viewLoader.load(ScreenControllers.controllerOf(screen)).root();
    }

    /** Shows the console in {@code stage}: the shell at once, the first screen when the services are open. */
    public void show(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        ViewLoader.View<MainController> view = viewLoader.load(MainController.class);
        main = view.controller();
        Scene scene = new Scene(view.root(), 1280, 800);
        for (String sheet : STYLESHEETS) {
            scene.getStylesheets().add(Objects.requireNonNull(ConsoleUi.class.getResource(sheet), sheet).toExternalForm());
        }
        stage.titleProperty().bind(shell.titleProperty());
        stage.setMinWidth(960);
        stage.setMinHeight(600);
        stage.setScene(scene);
        stage.setOnCloseRequest(event -> {
            if (closeQuestion().map(question -> !Confirm.ask(scene.getRoot(), question)).orElse(false)) {
                event.consume();
            }
        });
        stage.show();
        if (openAlready != null) {
            attach(openAlready);
        }
    }

    /**
     * On the JavaFX thread, once the services are open: builds the first screen and starts the status bar's
     * refresh; the window's title then loses its "(opening…)". Ignored after {@link #close}.
     */
    public void attach(ConsoleServices opened) {
        if (closed) {
            return;
        }
        services = opened.forScreens();
        status = new StatusModel(services);
        main.attach(this::loadScreen, status);
        shell.live();
        LatestValue<Boolean> statusUpdate = new LatestValue<>(Platform::runLater, ignored -> status.refresh());
        statusRefresh = refresher.every(1000, () -> statusUpdate.publish(Boolean.TRUE));
        // A change of the store's health shows at once, through the same one pending refresh.
        services.onStoreHealthChange(health -> statusUpdate.publish(Boolean.TRUE));
    }

    /**
     * The question to ask before the window closes, when closing stops something the operator started (issue 19):
     * the worker hosts this console started stop with it. Empty when nothing would stop. No I/O.
     */
    Optional<String> closeQuestion() {
        int workers = services == null ? 0 : services.supervisor().workersStarted();
        if (workers == 0) {
            return Optional.empty();
        }
        return Optional.of("Close JobDeck? " + (workers == 1 ? "The worker host this console started stops"
                : "The " + workers + " worker hosts this console started stop") + " with it. Jobs in flight finish or go"
                + " back to the queue, so none is lost; queued jobs wait until a host runs again.");
    }

    /** On the JavaFX thread: the services could not be opened; the window says why. */
    public void openingFailed(String reason) {
        shell.failed(reason);
    }

    public Navigation navigation() {
        return navigation;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        if (statusRefresh != null) {
            statusRefresh.cancel(false);
        }
        refresher.close();
        tasks.close();
    }
}
