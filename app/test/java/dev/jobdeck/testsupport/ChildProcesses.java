package dev.jobdeck.testsupport;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that starts real child JVMs (workers, {@code serve}, scripts, another account's process) and usually kills
 * some of them: slow next to the rest. Tagged {@link Slow#TAG} as well, so {@code mvn test} leaves these out for a
 * fast loop and {@code mvn verify} runs them (the failsafe plugin in the pom); {@link #TAG} picks them alone.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(ChildProcesses.TAG)
@Tag(Slow.TAG)
public @interface ChildProcesses {
    String TAG = "child-jvm";
}
