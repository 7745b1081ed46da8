package dev.jobdeck.core.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import org.h2.api.ErrorCode;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hears every error the pool's connections raise, and remembers the last one that means H2 gave up on its file: a
 * write that failed ({@code Writing to ... failed}, error 50000) makes H2 close the whole database, after which every
 * connection answers 90098 ("The database has been closed"). Those connections are evicted at once, so the pool's
 * next ones open the file afresh (H2 reopens a closed database on the next connection); the
 * {@link StoreHealthMonitor} reads the failure to say why delivery stopped and to restart the host once it is well.
 *
 * <p>Connections whose other end is gone are evicted at once too: a console that served the store died or restarted
 * (H2 says 90067, "connection is broken"). HikariCP evicts only on the SQL states it knows (08xxx and a few vendors'
 * codes), so it handed the same dead connections out again and again, and a worker whose console came back kept
 * failing until each had sat idle long enough to be checked (issue 15: 36-99 s; decision 23).
 */
public final class StoreFailures implements SQLExceptionOverride {

    private final AtomicReference<SQLException> last = new AtomicReference<>();
    /** When a connection last failed for good ({@link System#nanoTime()}), 0 if never. */
    private volatile long lastFailureNanos;

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        if (isStoreFailure(e)) {
            last.set(e);
            lastFailureNanos = System.nanoTime();
            return SQLExceptionOverride.Override.MUST_EVICT;
        }
        if (connectionGone(e)) {
            lastFailureNanos = System.nanoTime();
            return SQLExceptionOverride.Override.MUST_EVICT;
        }
        return SQLExceptionOverride.Override.CONTINUE_EVICT;
    }

    /**
     * When any thread of this process last found a connection gone or the database closed ({@link System#nanoTime()},
     * 0 if never): the first sign that the store went away, often seen by another thread before the ledger journal's
     * next fold, which may then wait for a connection for seconds (decision 23).
     */
    public long lastFailureNanos() {
        return lastFailureNanos;
    }

    /** The last failure since the previous call, or null; each failure is handed out once. */
    SQLException take() {
        return last.getAndSet(null);
    }

    private static boolean connectionGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == ErrorCode.CONNECTION_BROKEN_1
                    || sql.getErrorCode() == ErrorCode.OBJECT_CLOSED)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} says the database is closed, or closing because a write to its file failed. */
    static boolean isStoreFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN
                    || sql.getErrorCode() == ErrorCode.DATABASE_IS_CLOSED)) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.contains("Writing to ") && message.contains(" failed")) {
                return true;
            }
        }
        return false;
    }

    /** The operator's half of a failure: the operating system's reason if there is one ("No space left on device"). */
    static String reasonOf(Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException && t.getMessage() != null) {
                reason = t.getMessage();
            }
        }
        if (reason == null) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int newline = message.indexOf('\n');
            reason = newline < 0 ? message : message.substring(0, newline);
        }
        int nested = reason.lastIndexOf("IOException: ");
        return nested < 0 ? reason : reason.substring(nested + "IOException: ".length());
    }
}
