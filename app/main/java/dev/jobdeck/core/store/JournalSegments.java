package dev.jobdeck.core.store;

import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.store.DeliveryLedger.Begin;
import dev.jobdeck.core.store.DeliveryLedger.Entry;
import dev.jobdeck.core.store.DeliveryLedger.Finish;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The file format of a ledger journal's segments ({@link LedgerJournal}): entries framed as length, body and CRC-32,
 * appended in order; a reader stops at a torn or damaged end (a write its process did not finish).
 */
final class JournalSegments {

    private static final System.Logger LOG = System.getLogger(JournalSegments.class.getName());
    static final String SEGMENT_SUFFIX = ".seg";
    /** Entry kinds of journals written before runs were recorded (decision 23): still read, no longer written. */
    private static final byte BEGIN_NUMBERED = 1;
    private static final byte FINISH_NUMBERED = 2;
    private static final byte BEGIN = 3;
    private static final byte FINISH = 4;

    private JournalSegments() {
    }

    /** Entries of one segment in order, up to a torn or damaged end (a write the process did not finish). */
    static List<Entry> read(Path segment) throws IOException {
        return read(segment, true);
    }

    /** @param finished false for a segment its process may be writing: a torn last entry is then no news */
    private static List<Entry> read(Path segment, boolean finished) throws IOException {
        List<Entry> entries = new ArrayList<>();
        byte[] all = Files.readAllBytes(segment);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
        while (true) {
            int length;
            byte[] body;
            long crc;
            try {
                length = in.readInt();
                if (length <= 0 || length > all.length) {
                    break;
                }
                body = in.readNBytes(length);
                if (body.length < length) {
                    break;
                }
                crc = in.readLong();
            } catch (EOFException e) {
                break;
            }
            if (crc != crc(body)) {
                if (finished) {
                    LOG.log(System.Logger.Level.WARNING, "Ledger journal {0} ends in a damaged entry; it is ignored",
                            segment);
                }
                break;
            }
            decode(body, entries);
        }
        return entries;
    }

    /** A process's segments in the order they were written. */
    static List<Path> segmentsOf(Path writer) throws IOException {
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(writer, "*" + SEGMENT_SUFFIX)) {
            files.forEach(segments::add);
        }
        segments.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return segments;
    }

    /** A segment another process may still be appending to, or may remove once folded. */
    static List<Entry> readLive(Path segment) throws IOException {
        try {
            return read(segment, false);
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
    }

    static byte[] encode(Finish finish, Begin begin) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(body);
            if (finish != null) {
                out.writeByte(FINISH);
                writeUuid(out, finish.jobId());
                writeUuid(out, finish.runId());
                out.writeInt(finish.attempt());
                out.writeUTF(finish.outcome().name());
                out.writeInt(finish.smtpCode() == null ? -1 : finish.smtpCode());
                writeNullable(out, finish.smtpReply() == null ? null : DeliveryLedger.truncate(finish.smtpReply()));
                writeInstant(out, finish.at());
            }
            if (begin != null) {
                out.writeByte(BEGIN);
                writeUuid(out, begin.jobId());
                writeUuid(out, begin.runId());
                out.writeInt(begin.attempt());
                writeUuid(out, begin.emailId());
                writeNullable(out, begin.host());
                out.writeUTF(begin.messageId());
                writeInstant(out, begin.at());
            }
            out.flush();
            byte[] bytes = body.toByteArray();
            ByteBuffer framed = ByteBuffer.allocate(4 + bytes.length + 8);
            framed.putInt(bytes.length).put(bytes).putLong(crc(bytes));
            return framed.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void decode(byte[] body, List<Entry> entries) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        while (in.available() > 0) {
            byte kind = in.readByte();
            if (kind == FINISH || kind == FINISH_NUMBERED) {
                UUID jobId = readUuid(in);
                UUID runId = kind == FINISH ? readUuid(in) : null;
                int attempt = in.readInt();
                Outcome outcome = Outcome.valueOf(in.readUTF());
                int code = in.readInt();
                String reply = readNullable(in);
                entries.add(new Finish(jobId, runId, attempt, outcome, code < 0 ? null : code, reply, readInstant(in)));
            } else if (kind == BEGIN || kind == BEGIN_NUMBERED) {
                UUID jobId = readUuid(in);
                UUID runId = kind == BEGIN ? readUuid(in) : null;
                int attempt = in.readInt();
                UUID emailId = readUuid(in);
                String host = readNullable(in);
                String messageId = in.readUTF();
                entries.add(new Begin(jobId, runId, attempt, emailId, host, messageId, readInstant(in)));
            } else {
                throw new IOException("Unknown ledger journal entry " + kind);
            }
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    private static void writeNullable(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeUTF(text);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
        out.writeLong(at.getEpochSecond());
        out.writeInt(at.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
