package dev.jobdeck.core.store;

import org.h2.api.ErrorCode;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Why a store could not be opened, in one sentence for the operator that names the store (never a password): the H2
 * file locked, damaged or refusing its password, PostgreSQL refusing the login or not reached.
 */
final class OpenFailures {

    private OpenFailures() {
    }

    /**
     * Why a first connection to PostgreSQL failed, in one sentence that names the store (never the password): the
     * password refused (SQLState 28P01, 28000), no such database (3D000), or the server not reached (08xxx, a refused
     * or timed-out socket, an unknown host).
     */
    static StoreException connectFailure(String store, String user, boolean passwordGiven, Throwable cause) {
        String state = null;
        for (Throwable t = cause; t != null && state == null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                state = sql.getSQLState();
            }
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if ("28P01".equals(state) || "28000".equals(state)) {
            return new StoreException("PostgreSQL refused the password for user " + user + " on " + store
                    + "; set it with `jobdeck store password`.", cause);
        }
        if (!passwordGiven && firstLine(cause.getMessage()).contains("no password was provided")) {
            return new StoreException("PostgreSQL asks for the password of user " + user + " on " + store + " and none"
                    + " is kept; set it with `jobdeck store password` (or pass --password-stdin).", cause);
        }
        if ("3D000".equals(state)) {
            return new StoreException("PostgreSQL has no database named as in " + store + "; create it (createdb)"
                    + " or give the right name with --store.", cause);
        }
        String reason;
        if (root instanceof java.net.ConnectException || root instanceof java.net.NoRouteToHostException) {
            reason = root.getMessage() == null ? "connection refused" : firstLine(root.getMessage());
        } else if (root instanceof java.net.UnknownHostException) {
            reason = "unknown host " + root.getMessage();
        } else if (root instanceof java.net.SocketTimeoutException) {
            reason = "no answer in time";
        } else {
            reason = firstLine(cause.getMessage());
        }
        return new StoreUnreachableException("Cannot reach the PostgreSQL store " + store + ": "
                + (reason.endsWith(".") ? reason : reason + "."), cause);
    }

    /** A JDBC URL as the user wrote it ({@code postgresql://user@host:port/database}): no query, no password. */
    static String shown(String jdbcUrl, String user) {
        String plain = withoutSecrets(jdbcUrl);
        String rest = plain.startsWith("jdbc:postgresql://") ? plain.substring("jdbc:postgresql://".length()) : null;
        if (rest == null || user == null) {
            return plain;
        }
        return "postgresql://" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8) + "@" + rest;
    }

    /** A JDBC URL as it may be shown: without its query (where a driver would take a password). */
    static String withoutSecrets(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    static StoreException translate(DataDirectory directory, Path file, Throwable cause) {
        if (cause instanceof SQLException sql) {
            switch (sql.getErrorCode()) {
                case ErrorCode.DATABASE_ALREADY_OPEN_1:
                    return new DataDirectoryLockedException("The database in " + directory.path()
                            + " is already open in another process. Close that JobDeck first.");
                case ErrorCode.WRONG_USER_OR_PASSWORD:
                    return new StoreException("The database in " + directory.path()
                            + " does not accept the password in its db.password file. Was the file replaced?", sql);
                case ErrorCode.FILE_CORRUPTED_1:
                case ErrorCode.GENERAL_ERROR_1:
                    return new DamagedStoreFileException("The database file " + file
                            + " is damaged or not an H2 database (" + firstLine(sql.getMessage())
                            + "). Move it away to start with an empty store.", file, sql);
                default:
                    break;
            }
        }
        return new StoreException("Cannot open the database in " + directory.path() + ": "
                + firstLine(cause.getMessage()), cause);
    }

    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException
                    || (t.getMessage() != null && t.getMessage().contains("SocketTimeoutException"))) {
                return true;
            }
        }
        return false;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
