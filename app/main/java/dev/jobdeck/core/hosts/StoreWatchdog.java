package dev.jobdeck.core.hosts;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Keeps a worker honest about its store: checks the connection every couple of seconds, says so when it drops
 * and when it comes back, and gives up with a clear message after {@code patience} instead of hanging silently.
 */
public final class StoreWatchdog {

    private static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final Duration patience;
    private final Duration checkEvery;
    private final Clock clock;
    private final Consumer<String> say;

    public StoreWatchdog(DataSource dataSource, Duration patience, Clock clock, Consumer<String> say) {
        this(dataSource, patience, CHECK_EVERY, clock, say);
    }

    /** With checks every {@code checkEvery} rather than every 2 s (tests). */
    public StoreWatchdog(DataSource dataSource, Duration patience, Duration checkEvery, Clock clock, Consumer<String> say) {
        this.dataSource = dataSource;
        this.patience = patience;
        this.checkEvery = checkEvery;
        this.clock = clock;
        this.say = say;
    }

    /**
     * Watches until the store has been unreachable for longer than the patience (returns the last error) or the
     * thread is interrupted (throws). {@code onRestored} runs each time the store answers again after a drop, and
     * when the store answers but the host is not running: JobRunr stops its server when one heartbeat fails, so an
     * outage shorter than a check (a console restarted at once) leaves the store fine and the host stopped.
     */
    public String watch(Runnable onRestored, BooleanSupplier hostRunning) throws InterruptedException {
        Instant lostSince = null;
        Instant lastReport = null;
        while (true) {
            String error = check();
            Instant now = clock.instant();
            if (error == null) {
                if (lostSince != null) {
                    say.accept("the store answers again after " + Duration.between(lostSince, now).toSeconds() + " s");
                    lostSince = null;
                    onRestored.run();
                } else if (!hostRunning.getAsBoolean()) {
                    say.accept("its JobRunr server stopped after a store error; the store answers, so it starts again");
                    onRestored.run();
                }
            } else {
                if (lostSince == null) {
                    lostSince = now;
                    lastReport = now;
                    say.accept("lost the store (" + error + "); retrying for up to " + patience.toSeconds() + " s");
                } else if (Duration.between(lostSince, now).compareTo(patience) > 0) {
                    return error;
                } else if (Duration.between(lastReport, now).compareTo(REPORT_EVERY) >= 0) {
                    lastReport = now;
                    say.accept("store unreachable for " + Duration.between(lostSince, now).toSeconds() + " s; retrying");
                }
            }
            Thread.sleep(checkEvery.toMillis());
        }
    }

    private String check() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int newline = message.indexOf('\n');
            return newline < 0 ? message : message.substring(0, newline);
        }
    }
}
