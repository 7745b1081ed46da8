package dev.jobdeck.ui;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.logging.ProcessLog;
import dev.jobdeck.ui.fx.Screen;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JavaFX application. The store, the SMTP sink and the host start opening on a background thread as soon
 * as JavaFX's toolkit is up ({@link #init}), while the window is built; the window shows as soon as JavaFX can
 * draw it, with the shell saying which store it is opening, and the first screen is attached when the services
 * are open. So neither waits for the other, and the JavaFX thread never waits for H2
 * (docs/decisions/0009-fast-first-window.md). Opening only once the toolkit is up keeps the two cores free for
 * the toolkit's start, the one part nothing else can shorten.
 */
public final class JobDeckApp extends Application {

    private static final System.Logger LOG = System.getLogger(JobDeckApp.class.getName());

    /**
     * {@code Application.launch} creates the application object itself, so the opening to start is handed over
     * through here: set by {@link #run} just before launch, taken by {@link #init}. Launch stays
     * (rather than {@code Platform.startup}) because it names the app to the window system (WM_CLASS, which
     * the desktop entry's StartupWMClass matches) and runs {@link #stop}.
     */
    private static final AtomicReference<Startup> HANDOVER = new AtomicReference<>();

    /** {@code go} starts {@code opening}; {@link #run} cancels it if JavaFX fails before {@link #init}. */
    private record Startup(DataDirectory directory, Optional<Screen> firstScreen, CompletableFuture<Void> go,
                           CompletableFuture<ConsoleServices> opening) {
    }

    private Startup startup;
    private ConsoleUi ui;

    /** Opens the console on {@code directory}; returns when its window has been closed. */
    public static void run(DataDirectory directory, Optional<Screen> firstScreen) {
        ExecutorService opener = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobdeck-open");
            thread.setDaemon(true);
            return thread;
        });
        CompletableFuture<Void> go = new CompletableFuture<>();
        Startup startup = new Startup(directory, firstScreen, go, go.thenApplyAsync(started -> open(directory), opener));
        try {
            HANDOVER.set(startup);
            Application.launch(JobDeckApp.class);
        } catch (RuntimeException e) {
            go.cancel(false);                   // JavaFX could not start: the store was never opened,
            closeServices(startup.opening());   // or it was, and must not stay locked
            throw e;
        } finally {
            opener.shutdown();
        }
    }

    private static ConsoleServices open(DataDirectory directory) {
        ConsoleServices services;
        try {
            services = ConsoleServices.open(directory, ConsoleServices.Options.console());
        } catch (StoreException e) {
            throw new CompletionException(e);
        }
        try {
            services.startHost();
            return services;
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    @Override
    public void init() {
        startup = Objects.requireNonNull(HANDOVER.getAndSet(null), "JobDeckApp is started by JobDeckApp.run");
        // The toolkit is up (launch starts it before init): open the store while start builds the window.
        startup.go().complete(null);
    }

    @Override
    public void start(Stage stage) {
        ui = new ConsoleUi(startup.directory().path());
        startup.firstScreen().ifPresent(ui.navigation()::show);
        ui.show(stage);
        startup.opening().whenComplete((services, failure) -> {
            if (failure != null) {
                // Logged here, off the JavaFX thread: the log is a file.
                LOG.log(System.Logger.Level.ERROR, "The console cannot open " + startup.directory().path(), failure);
            }
            Platform.runLater(() -> {
                if (failure == null) {
                    ui.attach(services);
                } else {
                    cannotOpen(stage, ProcessLog.withDetails(reason(failure)));
                }
            });
        });
    }

    private void cannotOpen(Stage stage, String reason) {
        ui.openingFailed(reason);
        if (!stage.isShowing()) {
            return;
        }
        Alert alert = new Alert(Alert.AlertType.ERROR, reason, ButtonType.CLOSE);
        alert.initOwner(stage);
        alert.setTitle("JobDeck cannot start");
        alert.setHeaderText("JobDeck cannot open its data directory");
        alert.getDialogPane().setMinWidth(560);
        alert.showAndWait();
        stage.hide();
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof StoreException ? cause.getMessage() : cause.toString();
    }

    @Override
    public void stop() throws InterruptedException {
        if (ui != null) {
            ui.close();
        }
        closeServices(startup.opening());
    }

    /**
     * Waits for an opening still under way (the window may close first), so its lock and host are released too.
     * An opening that failed has nothing to close; the window said why.
     */
    private static void closeServices(CompletableFuture<ConsoleServices> opening) {
        ConsoleServices services = opening.handle((opened, failure) -> opened).join();
        if (services != null) {
            services.close();
        }
    }
}
