package dev.jobdeck.core.mail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the {@link LocalSmtpSink} keeps what it accepted. The console uses a table in its H2 database,
 * so the mailbox survives restarts; {@link #inMemory()} serves tests and a sink without a store.
 *
 * <p>{@link #record} runs before the sink answers 250 to the message: if it throws, the client is told
 * "451 local error" instead, so a message the client saw accepted is always on record.
 */
public interface SinkMailbox {

    /** Raw messages are kept up to this size; the recorded size is always the full one. */
    int RAW_LIMIT_BYTES = 256 * 1024;

    void record(ReceivedMail mail, byte[] raw) throws Exception;

    /** The newest {@code limit} messages, newest first. */
    List<ReceivedMail> newestFirst(int limit) throws Exception;

    int count() throws Exception;

    void clear() throws Exception;

    /** How many times each Message-ID arrived, for those that arrived more than once (duplicate deliveries). */
    Map<String, Integer> duplicateMessageIds() throws Exception;

    /** How many messages arrived with exactly this Message-ID. */
    int countByMessageId(String messageId) throws Exception;

    static SinkMailbox inMemory() {
        return new InMemory();
    }

    /** A list guarded by its own monitor: GreenMail delivers on one thread per connection. */
    final class InMemory implements SinkMailbox {

        private final List<ReceivedMail> mails = new ArrayList<>();

        private InMemory() {
        }

        @Override
        public synchronized void record(ReceivedMail mail, byte[] raw) {
            mails.add(mail);
        }

        @Override
        public synchronized List<ReceivedMail> newestFirst(int limit) {
            List<ReceivedMail> copy = new ArrayList<>(mails.subList(Math.max(0, mails.size() - limit), mails.size()));
            Collections.reverse(copy);
            return copy;
        }

        @Override
        public synchronized int count() {
            return mails.size();
        }

        @Override
        public synchronized void clear() {
            mails.clear();
        }

        @Override
        public synchronized Map<String, Integer> duplicateMessageIds() {
            Map<String, Integer> counts = new TreeMap<>();
            for (ReceivedMail mail : mails) {
                if (!mail.messageId().isEmpty()) {
                    counts.merge(mail.messageId(), 1, Integer::sum);
                }
            }
            counts.values().removeIf(n -> n < 2);
            return counts;
        }

        @Override
        public synchronized int countByMessageId(String messageId) {
            return (int) mails.stream().filter(m -> m.messageId().equals(messageId)).count();
        }
    }
}
