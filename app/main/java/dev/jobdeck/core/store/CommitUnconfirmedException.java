package dev.jobdeck.core.store;

import java.sql.SQLException;

/**
 * The store stopped answering while a commit was asked of it: the transaction may or may not be committed, and only
 * reading the store again can tell. Every failure before the commit was asked means that nothing was written.
 */
public final class CommitUnconfirmedException extends SQLException {

    CommitUnconfirmedException(SQLException cause) {
        super("the store did not confirm the commit: " + cause.getMessage(), cause.getSQLState(), cause.getErrorCode(),
                cause);
    }
}
