package dev.jobdeck.core.store;

import org.h2.Driver;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Opens connections to the database a console serves, looking up its current port in
 * {@code store.endpoint} each time. Used as Hikari's data source in worker and script processes.
 */
final class ServedDataSource implements DataSource {

    private final DataDirectory directory;
    private final String user;
    private final String password;
    private final int networkTimeoutMillis;
    private int loginTimeoutSeconds;

    /** @param networkTimeoutMillis H2's {@code NETWORK_TIMEOUT}: the longest any read from the console waits; 0 none */
    ServedDataSource(DataDirectory directory, String user, String password, int networkTimeoutMillis) {
        this.directory = directory;
        this.user = user;
        this.password = password;
        this.networkTimeoutMillis = networkTimeoutMillis;
    }

    @Override
    public Connection getConnection() throws SQLException {
        StoreEndpoint endpoint = StoreEndpoint.read(directory)
                .orElseThrow(() -> new SQLException("no JobDeck console is serving " + directory.path()
                        + " (" + StoreEndpoint.FILE + " is missing)", "08001"));
        if (!endpoint.ownerAlive()) {
            // Checked before connecting: once its console is gone, the port may belong to any other program, and a
            // server that accepts the connection but never answers H2's handshake would hold this thread forever.
            throw new SQLException("the console that served " + directory.path() + " (pid " + endpoint.pid()
                    + ") has exited", "08001");
        }
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        if (networkTimeoutMillis > 0) {
            properties.setProperty("NETWORK_TIMEOUT", Integer.toString(networkTimeoutMillis));
        }
        Connection connection = new Driver().connect(endpoint.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("H2 did not accept the URL " + endpoint.jdbcUrl(), "08001");
        }
        return connection;
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // H2 logs through its own trace files; nothing to redirect.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
