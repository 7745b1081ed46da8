package dev.jobdeck.core.jobs.jobrunr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.jobdeck.core.mail.ReplyStatus;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A job's keys and words as text (decision 30): how the word index and a search cut text into words, a failure's
 * message as JobRunr writes it in a job's JSON, and the Last reply column's key. The same on H2 (the key triggers) and
 * in the searches that look the words up.
 */
public final class KeyText {

    /** Longest subject and reply key kept: a tie past them is ordered by job id. */
    public static final int TEXT_KEY = 200;
    public static final int WORD = 40;

    /** Reads job JSON; immutable and thread-safe, so one serves every trigger. */
    private static final ObjectReader JSON = new ObjectMapper().reader();

    private KeyText() {
    }

    /**
     * The words of {@code text} as the word index keeps them and a search looks them up: lower-cased runs of letters
     * and digits, each cut to {@value #WORD} characters, in order, once each.
     */
    public static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return words;
        }
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(cut(word, WORD));
            }
        }
        return words;
    }

    /** The text of JobRunr's latest Failed state in {@code jobJson}; empty when there is none or it cannot be read. */
    public static String failureOf(String jobJson) {
        if (jobJson == null) {
            return "";
        }
        try {
            JsonNode history = JSON.readTree(jobJson).path("jobHistory");
            for (int i = history.size() - 1; i >= 0; i--) {
                JsonNode state = history.get(i);
                if (state.path("@class").asText("").endsWith(".FailedState")) {
                    return state.path("message").asText("") + " " + state.path("exceptionMessage").asText("");
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // A job's JSON JobDeck cannot read only leaves its failure message out of the word index.
            System.getLogger(KeyText.class.getName()).log(System.Logger.Level.DEBUG,
                    "Failure message not indexed: {0}", e.toString());
        }
        return "";
    }

    /** The Last reply column's sort key: the reply without its code and enhanced status, lower-cased, cut. */
    public static String replyKey(String reply) {
        String text = ReplyStatus.withoutStatus(reply);
        return text == null ? "" : cut(lower(text.strip()), TEXT_KEY);
    }

    static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    static String cut(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

}
