package dev.jobdeck.core.store;

import org.h2.tools.Server;

import java.io.IOException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The console's database, served to worker processes and scripts over H2's TCP protocol on 127.0.0.1
 * only (see {@link Database} for the bind address). The console keeps the file open in-process, so
 * its own queries pay no network cost. Other local accounts can reach the port, so it serves nothing but this
 * store (decision 22): {@code -key} maps the one name clients use to the store and refuses every other database
 * path (without it a client could open a database file of its own, in which it is admin, and run code in this
 * process), {@code -ifExists} forbids creating one, and clients log in as the store's application user, who may
 * read and write JobDeck's and JobRunr's rows but define no functions and touch no files.
 */
public final class StoreServer implements AutoCloseable {

    private final Server server;
    private final DataDirectory directory;
    private final StoreEndpoint endpoint;

    private StoreServer(Server server, DataDirectory directory, StoreEndpoint endpoint) {
        this.server = server;
        this.directory = directory;
        this.endpoint = endpoint;
    }

    /**
     * Starts serving the (already open) database in {@code directory}, on the port used last time when it
     * is free so that running workers reconnect to the same address, else on any free port.
     */
    public static StoreServer start(DataDirectory directory) throws StoreException {
        Database.bindToLoopback();
        int previous = StoreEndpoint.read(directory).map(StoreEndpoint::port).orElse(0);
        Server server;
        try {
            server = tryStart(directory, previous);
        } catch (SQLException first) {
            try {
                server = tryStart(directory, 0);
            } catch (SQLException e) {
                throw new StoreException("Cannot serve the database to worker processes on 127.0.0.1: " + e.getMessage(), e);
            }
        }
        StoreEndpoint endpoint = new StoreEndpoint(server.getPort(), ProcessHandle.current().pid(), Instant.now());
        try {
            endpoint.write(directory);
        } catch (IOException e) {
            server.stop();
            throw new StoreException("Cannot write " + StoreEndpoint.FILE + " in " + directory.path() + ": "
                    + DataDirectory.describe(e), e);
        }
        return new StoreServer(server, directory, endpoint);
    }

    private static Server tryStart(DataDirectory directory, int port) throws SQLException {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        // The shutdown password guards H2's remote "shut the server down" command; nobody needs it.
        return Server.createTcpServer("-tcpPort", Integer.toString(port), "-tcpDaemon", "-ifExists",
                "-key", StoreEndpoint.DATABASE_KEY, directory.databaseName(),
                "-tcpPassword", HexFormat.of().formatHex(random)).start();
    }

    public StoreEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stop();
        StoreEndpoint.delete(directory);
    }
}
