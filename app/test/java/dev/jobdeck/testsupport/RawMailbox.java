package dev.jobdeck.testsupport;

import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.core.mail.SinkMailbox;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A sink mailbox that keeps each message as it arrived, so tests can read its MIME structure and raw headers. */
public final class RawMailbox implements SinkMailbox {

    private final List<byte[]> raws = new ArrayList<>();
    private final SinkMailbox delegate = SinkMailbox.inMemory();

    @Override
    public synchronized void record(ReceivedMail mail, byte[] raw) throws Exception {
        raws.add(raw);
        delegate.record(mail, raw);
    }

    public synchronized List<byte[]> raws() {
        return List.copyOf(raws);
    }

    /** The only message received, parsed. */
    public synchronized MimeMessage single() throws Exception {
        if (raws.size() != 1) {
            throw new AssertionError("expected one message, got " + raws.size());
        }
        return parse(raws.get(0));
    }

    public static MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    @Override
    public List<ReceivedMail> newestFirst(int limit) throws Exception {
        return delegate.newestFirst(limit);
    }

    @Override
    public int count() throws Exception {
        return delegate.count();
    }

    @Override
    public synchronized void clear() throws Exception {
        raws.clear();
        delegate.clear();
    }

    @Override
    public Map<String, Integer> duplicateMessageIds() throws Exception {
        return delegate.duplicateMessageIds();
    }

    @Override
    public int countByMessageId(String messageId) throws Exception {
        return delegate.countByMessageId(messageId);
    }
}
