package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work in one transaction: committed when it returns, rolled back when it throws. A failure of the commit itself
 * is a {@link CommitUnconfirmedException}: the caller cannot know whether the work was kept.
 */
final class Transactions {

    private static final System.Logger LOG = System.getLogger(Transactions.class.getName());

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        Connection connection = dataSource.getConnection();
        T result;
        try {
            connection.setAutoCommit(false);
            result = work.run(connection);
        } catch (SQLException | RuntimeException | Error e) {
            // Rolled back before auto-commit is restored, which would otherwise commit the half-done work.
            rollback(connection, e);
            close(connection, e);
            throw e;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            rollback(connection, e);
            close(connection, e);
            throw new CommitUnconfirmedException(e);
        }
        // Committed: a connection that breaks now only costs the pool that connection, never the result.
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "A connection broke right after its commit: " + e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "A connection broke right after its commit: " + e.getMessage());
        }
        return result;
    }

    /**
     * Rolls back after {@code failure}, then leaves the connection in auto-commit mode for the pool. A connection whose
     * store went away cannot do either; that second failure is added to the first instead of hiding it.
     */
    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void close(Connection connection, Throwable failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
