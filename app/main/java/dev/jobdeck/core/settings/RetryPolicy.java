package dev.jobdeck.core.settings;

import dev.jobdeck.core.mail.EnhancedStatus;
import dev.jobdeck.core.mail.SmtpFailure;
import dev.jobdeck.core.store.Settings;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which failed deliveries are tried again, how often and how far apart: kept in the store, so the console and
 * every worker host apply the same policy, and read again within seconds of a change (no restart).
 *
 * <p>{@code rules} decide by the server's reply: a reply code pattern ({@code 4xx}, {@code 45x}, {@code 421})
 * or an enhanced status pattern ({@code 5.2.2}, {@code 4.7.x}), each followed by {@code retry} or
 * {@code bounce}. The most specific matching rule wins, enhanced status before reply code; with no match a
 * 5xx bounces and anything else retries. A failure without a reply (refused connection, timeout, TLS)
 * always retries: nothing was refused, the server was not reached.
 *
 * <p>Retry {@code n} (from 1) waits {@code firstDelay × backoffFactor^(n-1)}, at most {@code maxDelay}.
 * The defaults are JobRunr's own: 10 retries, 3 s × 3ⁿ⁻¹.
 */
public record RetryPolicy(int maxRetries, Duration firstDelay, double backoffFactor, Duration maxDelay,
                          List<ReplyRule> rules) {

    public enum Decision { RETRY, BOUNCE }

    /** One line of the rules: {@code pattern} is e.g. {@code 4xx} or {@code 5.2.2}. */
    public record ReplyRule(String pattern, Decision decision) {

        private static final Pattern CODE = Pattern.compile("[2-5][0-9x][0-9x]");
        private static final Pattern ENHANCED = Pattern.compile("[245]\\.(\\d{1,3}|x)\\.(\\d{1,3}|x)");

        public ReplyRule {
            pattern = pattern.toLowerCase(Locale.ROOT);
            if (!CODE.matcher(pattern).matches() && !ENHANCED.matcher(pattern).matches()) {
                throw new IllegalArgumentException("'" + pattern + "' is neither a reply code like 4xx or 550"
                        + " nor an enhanced status like 5.2.2 or 4.7.x");
            }
        }

        boolean isEnhanced() {
            return pattern.contains(".");
        }

        /** Enhanced rules outrank reply-code rules; within each kind, the fewer wildcards the better. */
        int specificity() {
            int fixed = (int) (isEnhanced() ? List.of(pattern.split("\\.")).stream().filter(p -> !p.equals("x")).count()
                    : pattern.chars().filter(c -> c != 'x').count());
            return (isEnhanced() ? 10 : 0) + fixed;
        }

        boolean matches(int replyCode, Optional<EnhancedStatus> status) {
            if (isEnhanced()) {
                if (status.isEmpty()) {
                    return false;
                }
                String[] want = pattern.split("\\.");
                int[] have = {status.get().statusClass(), status.get().subject(), status.get().detail()};
                for (int i = 0; i < 3; i++) {
                    if (!want[i].equals("x") && Integer.parseInt(want[i]) != have[i]) {
                        return false;
                    }
                }
                return true;
            }
            String code = Integer.toString(replyCode);
            for (int i = 0; i < 3; i++) {
                if (pattern.charAt(i) != 'x' && pattern.charAt(i) != code.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return pattern + " " + decision.name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int MAX_RETRIES = 100;
    public static final Duration MAX_FIRST_DELAY = Duration.ofDays(7);
    public static final Duration MAX_MAX_DELAY = Duration.ofDays(30);
    public static final double MAX_BACKOFF_FACTOR = 10;
    /** The rules are stored as one setting of at most 4,000 characters; 200 of the longest ("5.999.999 bounce") fit. */
    public static final int MAX_RULES = 200;

    static final String PREFIX = "retry.";
    public static final String KEY_MAX_RETRIES = PREFIX + "maxRetries";
    public static final String KEY_FIRST_DELAY = PREFIX + "firstDelaySeconds";
    public static final String KEY_BACKOFF_FACTOR = PREFIX + "backoffFactor";
    public static final String KEY_MAX_DELAY = PREFIX + "maxDelaySeconds";
    public static final String KEY_RULES = PREFIX + "rules";

    private static final Pattern RULE_LINE = Pattern.compile("^\\s*(\\S+)\\s+(\\S+)\\s*$");
    private static final Pattern DELAY = Pattern.compile("(\\d{1,7})(|s|m|min|h|d)");

    public RetryPolicy {
        if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
            throw new IllegalArgumentException("Retries must be from 0 to " + MAX_RETRIES + ", was " + maxRetries + ".");
        }
        if (firstDelay.compareTo(Duration.ofSeconds(1)) < 0 || firstDelay.compareTo(MAX_FIRST_DELAY) > 0) {
            throw new IllegalArgumentException("The first delay must be from 1 s to 7 days.");
        }
        if (!(backoffFactor >= 1) || backoffFactor > MAX_BACKOFF_FACTOR) {
            throw new IllegalArgumentException("The backoff factor must be from 1 (always the same delay) to "
                    + (int) MAX_BACKOFF_FACTOR + ".");
        }
        if (maxDelay.compareTo(firstDelay) < 0 || maxDelay.compareTo(MAX_MAX_DELAY) > 0) {
            throw new IllegalArgumentException("The longest delay must be at least the first delay and at most 30 days.");
        }
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException(tooManyRules(rules.size()));
        }
        rules = List.copyOf(rules);
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(10, Duration.ofSeconds(3), 3, Duration.ofDays(1), parseRules(DEFAULT_RULES));
    }

    public static final String DEFAULT_RULES = "4xx retry\n5xx bounce";

    /** Retry or bounce, for a failure the mail layer classified; see the class comment for the order. */
    public Decision decide(SmtpFailure failure) {
        if (failure.replyCode() <= 0) {
            return failure.isPermanent() ? Decision.BOUNCE : Decision.RETRY;
        }
        Optional<EnhancedStatus> status = EnhancedStatus.inReply(failure.replyText());
        return rules.stream()
                .filter(rule -> rule.matches(failure.replyCode(), status))
                // Stream.max keeps the earlier of equals: on a tie, the earlier line wins.
                .max(Comparator.comparingInt(ReplyRule::specificity))
                .map(ReplyRule::decision)
                .orElse(failure.replyCode() >= 500 ? Decision.BOUNCE : Decision.RETRY);
    }

    /** The wait before retry {@code n} (1 for the first retry). */
    public Duration delayBeforeRetry(int n) {
        double seconds = firstDelay.toMillis() / 1000.0 * Math.pow(backoffFactor, Math.max(0, n - 1));
        long millis = seconds * 1000 >= maxDelay.toMillis() ? maxDelay.toMillis() : Math.round(seconds * 1000);
        return Duration.ofMillis(millis);
    }

    /** From the first failure to the last retry, if every attempt fails at once. */
    public Duration span() {
        Duration total = Duration.ZERO;
        for (int n = 1; n <= maxRetries; n++) {
            total = total.plus(delayBeforeRetry(n));
        }
        return total;
    }

    /** e.g. "Retries after 3 s, 9 s, 27 s, 1 min 21 s, … (10 in all); gives up 16 h 24 min after the first failure." */
    public String describeSchedule() {
        if (maxRetries == 0) {
            return "A failed delivery is not retried: it bounces at the first failure.";
        }
        List<String> delays = new ArrayList<>();
        for (int n = 1; n <= Math.min(maxRetries, 5); n++) {
            delays.add(humanize(delayBeforeRetry(n)));
        }
        String list = String.join(", ", delays) + (maxRetries > 5 ? ", … (" + maxRetries + " in all)" : "");
        return "Retries after " + list + "; gives up " + humanize(span()) + " after the first failure.";
    }

    public String rulesText() {
        return rules.stream().map(ReplyRule::toString).collect(Collectors.joining("\n"));
    }

    /**
     * Parses rules, one per line or separated by semicolons ({@code 4xx retry; 5.2.2 retry}); blank lines and
     * {@code #} comments are skipped.
     *
     * @throws IllegalArgumentException naming the line of the first problem
     */
    public static List<ReplyRule> parseRules(String text) {
        List<ReplyRule> rules = new ArrayList<>();
        String[] lines = (text == null ? "" : text).split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            for (String part : lines[i].replaceFirst("#.*$", "").split(";")) {
                addRule(rules, part, i + 1);
            }
        }
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException(tooManyRules(rules.size()));
        }
        return rules;
    }

    private static String tooManyRules(int given) {
        return "At most " + MAX_RULES + " rules are allowed (" + given + " given).";
    }

    private static void addRule(List<ReplyRule> rules, String line, int number) {
        if (line.isBlank()) {
            return;
        }
        Matcher m = RULE_LINE.matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException("Line " + number + ": write a pattern and 'retry' or 'bounce',"
                    + " e.g. '5.2.2 retry'.");
        }
        Decision decision = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "retry" -> Decision.RETRY;
            case "bounce" -> Decision.BOUNCE;
            default -> throw new IllegalArgumentException("Line " + number + ": '" + m.group(2)
                    + "' must be 'retry' or 'bounce'.");
        };
        try {
            rules.add(new ReplyRule(m.group(1), decision));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Line " + number + ": " + e.getMessage() + ".");
        }
    }

    /**
     * A delay as an operator writes it: whole seconds ({@code 90}) or with a unit ({@code 90s}, {@code 15m},
     * {@code 2h}, {@code 1d}).
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static Duration parseDelay(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        Matcher m = DELAY.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("Write a delay as seconds or with a unit: 90, 90s, 15m, 2h or 1d.");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "", "s" -> Duration.ofSeconds(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The shortest way to write {@code d} that {@link #parseDelay} reads back: "15m", "2h", "90s". */
    public static String delayText(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** How the policy is kept in the store: the keys under {@code retry.}. */
    public static final SettingsGroup<RetryPolicy> STORED = new SettingsGroup<>() {
        @Override
        public String prefix() {
            return PREFIX;
        }

        @Override
        public RetryPolicy defaults() {
            return RetryPolicy.defaults();
        }

        @Override
        public RetryPolicy fromTexts(Map<String, String> values) {
            RetryPolicy defaults = defaults();
            return new RetryPolicy(
                    Integer.parseInt(values.getOrDefault(KEY_MAX_RETRIES, Integer.toString(defaults.maxRetries))),
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault(KEY_FIRST_DELAY,
                            Long.toString(defaults.firstDelay.toSeconds())))),
                    Double.parseDouble(values.getOrDefault(KEY_BACKOFF_FACTOR, Double.toString(defaults.backoffFactor))),
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault(KEY_MAX_DELAY,
                            Long.toString(defaults.maxDelay.toSeconds())))),
                    parseRules(values.getOrDefault(KEY_RULES, DEFAULT_RULES)));
        }

        @Override
        public Map<String, String> toTexts(RetryPolicy policy) {
            return Map.of(
                    KEY_MAX_RETRIES, Integer.toString(policy.maxRetries),
                    KEY_FIRST_DELAY, Long.toString(policy.firstDelay.toSeconds()),
                    KEY_BACKOFF_FACTOR, factorText(policy.backoffFactor),
                    KEY_MAX_DELAY, Long.toString(policy.maxDelay.toSeconds()),
                    KEY_RULES, policy.rulesText());
        }
    };

    public static RetryPolicy load(Settings settings) throws SQLException {
        return STORED.load(settings);
    }

    public void save(Settings settings) throws SQLException {
        STORED.save(settings, this);
    }

    public static String factorText(double factor) {
        return factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor);
    }

    /** A wait in words, e.g. "1 min 21 s", as the schedule and the jobs' reasons word it. */
    public static String humanize(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        if (s < 86_400) {
            long m = (s % 3600) / 60;
            return (s / 3600) + " h" + (m == 0 ? "" : " " + m + " min");
        }
        long h = (s % 86_400) / 3600;
        return (s / 86_400) + " d" + (h == 0 ? "" : " " + h + " h");
    }
}
