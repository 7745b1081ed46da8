package dev.jobdeck.core.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 and stops at the first byte sequence that is not UTF-8, saying on which line, instead of
 * replacing it with U+FFFD as {@code InputStreamReader} does (a Latin-1 export would otherwise import with
 * garbled names). A leading byte-order mark is dropped. Counts the bytes read, for progress.
 */
final class StrictUtf8Reader extends Reader {

    private static final int CHUNK = 16 * 1024;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(CHUNK);
    private final CharBuffer chars = CharBuffer.allocate(CHUNK);
    private long bytesRead;
    private long lineBreaksDecoded;
    private boolean endOfInput;
    private boolean flushed;
    private boolean atStart = true;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
        bytes.flip();
        chars.flip();
    }

    long bytesRead() {
        return bytesRead;
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (flushed) {
                return -1;
            }
            decodeMore();
        }
        int n = Math.min(length, chars.remaining());
        chars.get(target, offset, n);
        return n;
    }

    private void decodeMore() throws IOException {
        chars.clear();
        if (!endOfInput) {
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfInput = true;
            } else {
                bytes.position(bytes.position() + n);
                bytesRead += n;
            }
            bytes.flip();
        }
        CoderResult result = decoder.decode(bytes, chars, endOfInput);
        if (result.isError()) {
            // Everything before the bad bytes was decoded into chars: its line breaks say which line holds them.
            chars.flip();
            throw new NotUtf8Exception(lineBreaksDecoded + countLineBreaks(chars) + 1);
        }
        if (endOfInput && !bytes.hasRemaining() && decoder.flush(chars).isUnderflow()) {
            flushed = true;
        }
        chars.flip();
        lineBreaksDecoded += countLineBreaks(chars);
        if (atStart && chars.hasRemaining()) {
            atStart = false;
            if (chars.get(chars.position()) == '\uFEFF') {
                chars.get();
            }
        }
    }

    private static long countLineBreaks(CharBuffer buffer) {
        long count = 0;
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            if (buffer.get(i) == '\n') {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The file is not UTF-8: thrown at the first bad byte, with its line (1-based). */
    static final class NotUtf8Exception extends IOException {

        private final long line;

        NotUtf8Exception(long line) {
            super("not UTF-8 at line " + line);
            this.line = line;
        }

        long line() {
            return line;
        }
    }
}
