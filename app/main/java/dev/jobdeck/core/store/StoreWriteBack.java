package dev.jobdeck.core.store;

import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Writes an open H2 store back into its data directory after the directory was deleted under it (decision 21). The
 * process still has the file open, so nothing accepted is lost yet; it would be at the next close. Steps, for one
 * database: the directory and its password file are re-created; the database is put in exclusive mode (other
 * sessions wait, new ones are refused) so nothing commits between the copy and the switch; H2's {@code BACKUP}
 * copies the open file (transactionally consistent) into a zip beside it; the copy is moved into place; the old,
 * unlinked database is shut down, and the pool's next connections open the copy.
 *
 * <p>H2's {@code BACKUP} looks the database's file up by name before copying the open one, so an empty file of that
 * name stands in for it meanwhile; {@link StoreFileCheck} refuses that empty file to anyone else who opens the store.
 */
public final class StoreWriteBack {

    private StoreWriteBack() {
    }

    /**
     * Puts a deleted data directory back from what this process holds open: the store, the built-in sink's mailbox
     * (null if this process runs no sink) and the endpoint the store is served on (null if not served).
     */
    public static void restore(DataDirectory directory, Database store, Database sinkMailbox, StoreServer server)
            throws StoreException {
        writeBack(directory, store, directory.databaseFile());
        if (sinkMailbox != null) {
            writeBack(directory, sinkMailbox, directory.sinkMailboxFile());
        }
        if (server != null) {
            try {
                server.endpoint().write(directory);
            } catch (IOException e) {
                throw new StoreException("Cannot write " + StoreEndpoint.FILE + " back to " + directory.path() + ": "
                        + DataDirectory.describe(e), e);
            }
        }
    }

    /** Writes {@code database} (whose file is {@code file}) back into its directory, then reopens it from there. */
    static void writeBack(DataDirectory directory, Database database, Path file) throws StoreException {
        String password = ((HikariDataSource) database.dataSource()).getPassword();
        directory.prepareForWriting();
        directory.restorePasswords(password, database.applicationPassword());
        Path zip = file.resolveSibling(file.getFileName() + ".restore.zip");
        Path copy = file.resolveSibling(file.getFileName() + ".restoring");
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            Connection connection = database.dataSource().getConnection();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET EXCLUSIVE 1");
                try {
                    statement.execute("BACKUP TO '" + zip.toString().replace("'", "''") + "'");
                    extract(zip, copy);
                    Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (SQLException | IOException | RuntimeException e) {
                    statement.execute("SET EXCLUSIVE 0");
                    throw e;
                }
                statement.execute("SHUTDOWN");
            } finally {
                closeAfterShutdown(connection);
            }
        } catch (SQLException | IOException e) {
            throw new StoreException("Cannot write the open store back to " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(zip);
            deleteQuietly(copy);
            database.evictConnections();
        }
    }

    /** A connection to a database that was just shut down refuses even to be closed; the pool drops it anyway. */
    private static void closeAfterShutdown(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            System.getLogger(StoreWriteBack.class.getName()).log(System.Logger.Level.DEBUG,
                    "closing a connection to the shut-down store", e);
        }
    }

    private static void extract(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().endsWith(".mv.db")) {
                    copy(in, target);
                    return;
                }
            }
        }
        throw new IOException("H2's backup " + zip + " holds no database file");
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        try (var channel = java.nio.channels.FileChannel.open(target, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.getLogger(StoreWriteBack.class.getName()).log(System.Logger.Level.DEBUG, "cannot delete " + path, e);
        }
    }
}
