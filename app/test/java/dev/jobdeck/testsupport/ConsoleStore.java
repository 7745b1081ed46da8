package dev.jobdeck.testsupport;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A store of the test's own, injected as a parameter of the test or of its {@code @BeforeEach}: a data directory in a
 * fresh temporary folder and {@code ConsoleServices} opened on it, closed after the test and the folder removed
 * ({@link ConsoleStoreExtension}). On the class, every {@code ConsoleServices} parameter is one; on a parameter, it says
 * how that one is opened:
 * <pre>{@code
 * @ConsoleStore
 * class SomeTest {
 *     @Test
 *     void something(ConsoleServices services) { ... }                          // the console, with the sink
 *     @Test
 *     void other(@ConsoleStore(ConsoleStore.As.SCRIPT) ConsoleServices store) { ... }  // a script: no sink, no host
 * }
 * }</pre>
 * Within one test every parameter is the same store: its {@code DataDirectory}, the {@link ScratchStore} (to open it
 * once more with other options), and one {@code ConsoleServices} of each kind.
 */
@Target({ElementType.TYPE, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ConsoleStoreExtension.class)
public @interface ConsoleStore {

    As value() default As.CONSOLE;

    /** How the store is opened. */
    enum As {
        /** As the console opens it: the built-in SMTP sink started, its host not yet ({@code startHost()}). */
        CONSOLE,
        /** As a one-shot command (status, report): no sink, no host. */
        SCRIPT
    }
}
