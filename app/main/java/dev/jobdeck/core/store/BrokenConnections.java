package dev.jobdeck.core.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import org.h2.api.ErrorCode;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells the pool which of H2's errors mean the connection itself is gone: a console that served the store died or
 * restarted (its TCP connections are broken), or H2 closed the database after a write failed. HikariCP evicts a
 * connection only on the SQL states it knows (08xxx and a few vendors' codes), and H2 reports these as 90067 and
 * 90098: without this the pool hands the same dead connections out again and again, and a worker whose console came
 * back kept failing for as long as it took each of them to sit idle long enough to be checked (issue 15: 36-96 s).
 */
public final class BrokenConnections implements SQLExceptionOverride {

    private static final Set<Integer> GONE = Set.of(ErrorCode.CONNECTION_BROKEN_1, ErrorCode.DATABASE_IS_CLOSED,
            ErrorCode.DATABASE_CALLED_AT_SHUTDOWN, ErrorCode.OBJECT_CLOSED);

    /** Public, with no arguments: HikariCP creates it from its class name. */
    public BrokenConnections() {
    }

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && GONE.contains(sql.getErrorCode())) {
                return Override.MUST_EVICT;
            }
        }
        return Override.CONTINUE_EVICT;
    }
}
