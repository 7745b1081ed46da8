package dev.jobdeck.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses a database file that cannot be H2's before H2 sees it: H2 treats an empty file as a new database and
 * writes an empty store into it, so a store cut to 0 bytes (a full disk, a copy that failed, {@code truncate}) would
 * silently become an empty one. An MVStore file starts with two copies of a text header, {@code H:2,...}, at 0 and
 * at 4096; one of them must be there.
 */
final class StoreFileCheck {

    private static final int BLOCK = 4096;
    private static final byte[] HEADER = "H:2,".getBytes(StandardCharsets.US_ASCII);

    private StoreFileCheck() {
    }

    /** Throws {@link DamagedStoreFileException} when {@code file} exists but is not an H2 store; a missing file is new. */
    static void requireH2OrAbsent(Path file) throws StoreException {
        if (!Files.exists(file)) {
            return;
        }
        long size;
        byte[] head = new byte[2 * BLOCK];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new StoreException("Cannot read the database file " + file + ": " + DataDirectory.describe(e), e);
        }
        if (size == 0) {
            throw damaged(file, "it is empty (0 bytes), perhaps cut short by a full disk or a failed copy");
        }
        if (!startsWithHeader(head, 0, read) && !startsWithHeader(head, BLOCK, read)) {
            throw damaged(file, size < BLOCK ? "it is only " + size + " bytes long, too short to be an H2 database"
                    : "it does not start with an H2 header");
        }
    }

    private static boolean startsWithHeader(byte[] bytes, int offset, int length) {
        if (offset + HEADER.length > length) {
            return false;
        }
        for (int i = 0; i < HEADER.length; i++) {
            if (bytes[offset + i] != HEADER[i]) {
                return false;
            }
        }
        return true;
    }

    private static DamagedStoreFileException damaged(Path file, String why) {
        return new DamagedStoreFileException("The database file " + file + " is damaged: " + why + ". JobDeck does not"
                + " replace it. Restore it from a backup, or move it away to start with an empty store.", file, null);
    }
}
