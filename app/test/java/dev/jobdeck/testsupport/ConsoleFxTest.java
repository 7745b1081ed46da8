package dev.jobdeck.testsupport;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.ui.ConsoleUi;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;

import java.util.Map;
import java.util.Objects;

/**
 * The base of a TestFX test of the console: headless JavaFX (Monocle, as the pom's {@code headless.argLine} sets it,
 * also when a test runs alone from an IDE), TestFX's robot as an {@code FxRobot} parameter, and before each test a
 * store of its own ({@link ScratchStore}), the services opened on it off the JavaFX thread, and the console shown in
 * TestFX's stage at 1280x800; after it, the window closed, then the console and its store. A test class adjusts this
 * with {@link #options()}, {@link #prepare}, {@link #console()} and {@link #opensAtStart()}.
 */
@ExtendWith(ApplicationExtension.class)
public abstract class ConsoleFxTest {

    /** The same as the pom's {@code headless.argLine}; a property set already (on the command line) wins. */
    private static final Map<String, String> HEADLESS = Map.of("testfx.robot", "glass", "testfx.headless", "true",
            "glass.platform", "Monocle", "monocle.platform", "Headless", "prism.order", "sw", "prism.text", "t2k",
            "java.awt.headless", "true",
            // The pom's robot.argLine: TestFX's robot types and moves without pauses of its own.
            "testfx.robot.write_sleep", "0", "testfx.robot.move_max_count", "1");

    static {
        // Before TestFX starts the toolkit, which reads them once per JVM.
        HEADLESS.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    private ScratchStore store;
    private ConsoleServices services;
    private ConsoleUi ui;
    private Stage stage;

    @BeforeAll
    static void failOnlyOnTheJavaFxThreadsExceptions() {
        FxWaits.failOnlyOnFxThreadExceptions();
    }

    @BeforeEach
    final void showTheConsole() throws Exception {
        store = ScratchStore.create();
        stage = FxToolkit.toolkitContext().getRegisteredStage();
        if (opensAtStart()) {
            openServices();
        }
        ui = FxToolkit.setupFixture(() -> {
            ConsoleUi shown = console();
            shown.show(stage);
            return shown;
        });
    }

    @AfterEach
    final void closeTheConsole() throws Exception {
        FxToolkit.cleanupStages();
        if (ui != null) {
            ui.close();
        }
        store.close();
    }

    /** How the services open; by default as the console opens them (the built-in sink, no host started). */
    protected ConsoleServices.Options options() {
        return ConsoleServices.Options.console();
    }

    /** Whether the services open before the window shows; if not, a test opens them with {@link #openServices()}. */
    protected boolean opensAtStart() {
        return true;
    }

    /** Runs once the services are open, before the console shows: a host started, jobs queued, a policy saved. */
    protected void prepare(ConsoleServices opened) throws Exception {
    }

    /** The console to show, made on the JavaFX thread; by default on the services open already. */
    protected ConsoleUi console() throws Exception {
        return new ConsoleUi(services());
    }

    /** Opens the services on the test's store with {@link #options()} (closed after the test) and prepares them. */
    protected final ConsoleServices openServices() throws Exception {
        services = store.open(options());
        prepare(services);
        return services;
    }

    /** The services on the test's store; open unless {@link #opensAtStart()} says otherwise and none were opened. */
    protected final ConsoleServices services() {
        return Objects.requireNonNull(services, "the services are not open yet: call openServices()");
    }

    protected final ConsoleUi ui() {
        return ui;
    }

    protected final Stage stage() {
        return stage;
    }

    protected final ScratchStore store() {
        return store;
    }
}
