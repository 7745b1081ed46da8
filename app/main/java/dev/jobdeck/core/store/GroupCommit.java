package dev.jobdeck.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Commits the small writes of many threads together (group commit, decision 14). H2 serialises every commit
 * behind one lock and rewrites the changed pages of each table and index it touched, so sixteen workers that
 * each commit one ledger row per e-mail spend most of their time waiting for each other. Here a thread hands
 * its write in and waits; whichever thread finds no commit under way runs every write waiting at that moment
 * in one transaction, each behind its own savepoint, and commits them once.
 *
 * <p>The promise to each caller is unchanged: {@link #run} returns only after its write is committed, or throws
 * that write's own error (a failing write is rolled back to its savepoint and the others still commit).
 * Writes must be short and must not wait on other writers, as they share one transaction.
 */
public final class GroupCommit {

    /** Enough to take in every worker of a host at once; more would only lengthen one commit. */
    private static final int MAX_BATCH = 256;

    private final DataSource dataSource;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private final ArrayDeque<Pending<?>> waiting = new ArrayDeque<>();
    private boolean committing;
    private long commits;
    private long writes;

    public GroupCommit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in a transaction shared with other threads' writes; returns once it is committed. */
    <T> T run(Transactions.Work<T> work) throws SQLException {
        Pending<T> pending = new Pending<>(work);
        lock.lock();
        try {
            waiting.add(pending);
            while (!pending.done) {
                if (committing) {
                    // The commit under way may hold this write or not; either way, look again when it ends.
                    committed.awaitUninterruptibly();
                    continue;
                }
                committing = true;
                List<Pending<?>> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
                while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(waiting.poll());
                }
                lock.unlock();
                try {
                    commit(batch);
                } finally {
                    lock.lock();
                    for (Pending<?> each : batch) {
                        each.done = true;
                    }
                    commits++;
                    writes += batch.size();
                    committing = false;
                    committed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        return pending.result();
    }

    /** Commits so far and the writes they held: {@code writes / commits} is the mean batch. */
    public long[] counts() {
        lock.lock();
        try {
            return new long[] {commits, writes};
        } finally {
            lock.unlock();
        }
    }

    /** Writes handed in and not yet taken into a commit (for tests). */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void commit(List<Pending<?>> batch) {
        try {
            Transactions.inTransaction(dataSource, connection -> {
                for (Pending<?> each : batch) {
                    Savepoint before = connection.setSavepoint();
                    try {
                        each.runIn(connection);
                    } catch (SQLException | RuntimeException e) {
                        each.failed(e);
                        connection.rollback(before);
                    }
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            failAll(batch, e);
        } catch (Error e) {
            failAll(batch, new SQLException("The write was not committed: " + e, e));
            throw e;
        }
    }

    private static void failAll(List<Pending<?>> batch, Exception e) {
        for (Pending<?> each : batch) {
            each.failed(e);
        }
    }

    private static final class Pending<T> {
        private final Transactions.Work<T> work;
        private T value;
        private Exception error;
        private boolean done;

        Pending(Transactions.Work<T> work) {
            this.work = work;
        }

        void runIn(Connection connection) throws SQLException {
            value = work.run(connection);
        }

        void failed(Exception e) {
            if (error == null) {
                error = e;
            }
        }

        T result() throws SQLException {
            if (error instanceof SQLException sql) {
                throw sql;
            }
            if (error instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (error != null) {
                throw new SQLException(error.getMessage(), error);
            }
            return value;
        }
    }
}
