package dev.jobdeck.testsupport;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that takes seconds to tens of seconds for a reason of its own: a store of 10,000 jobs or more, a 100,000-row
 * file, an outage drill, or real JVMs ({@link ChildProcesses} carries this tag too). {@code mvn test} leaves these out
 * for a fast loop; {@code mvn verify} runs them with the failsafe plugin (decision 48). The behaviour each one checks
 * at volume is checked at a small size by a test in the fast loop.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Slow.TAG)
public @interface Slow {
    String TAG = "slow";
}
