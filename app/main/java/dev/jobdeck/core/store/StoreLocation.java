package dev.jobdeck.core.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a data directory's store lives (issue 17): the embedded H2 store, a file in the data directory that the
 * console serves to its workers over 127.0.0.1, or a PostgreSQL database that hosts on many machines share. Neither
 * form holds a password: a URL with one is refused, so no password reaches the command line, a log or a message.
 */
public sealed interface StoreLocation permits StoreLocation.Embedded, StoreLocation.Postgres {

    /** The form every refusal shows. */
    String EXPECTED_FORM = "postgresql://[user@]host[:port]/database[?sslmode=disable|prefer|require|verify-full], or h2";
    int DEFAULT_PORT = 5432;
    /** PostgreSQL keeps the first 63 bytes of a name (NAMEDATALEN - 1) and silently drops the rest. */
    int MAX_NAME_BYTES = 63;

    /** Seconds the driver waits for a connection to open before it gives up. */
    int CONNECT_TIMEOUT_SECONDS = 10;

    /** What the password refusal says, the same for the URL and its query. */
    String PASSWORD_REFUSAL = "The store URL holds a password: put the password in the keyring with `jobdeck store password`"
            + " or pipe it to --password-stdin; never on the command line (where other accounts see it in the process list).";

    /** As an operator reads it: {@code embedded H2} or {@code postgresql://ops@db.example.org:5432/jobdeck}. */
    String display();

    /** The canonical URL that {@link #parse} reads back to an equal location: {@code h2}, or a URL with its TLS mode. */
    String url();

    /**
     * Reads {@code --store}: {@code h2} or {@code embedded} for the embedded store, or
     * {@code postgresql://[user@]host[:port]/database} (also {@code postgres://}, IPv6 as {@code [::1]}) with an
     * optional {@code ?sslmode=}. Anything else is refused with one sentence that says what is wrong and shows the
     * expected form, and never repeats a password.
     */
    static StoreLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw refused("The store location is empty");
        }
        String trimmed = text.strip();
        String word = trimmed.toLowerCase(Locale.ROOT);
        if (word.equals("h2") || word.equals("embedded")) {
            return new Embedded();
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            // Only the reason and the position: URISyntaxException's message repeats the whole input, password and all.
            throw refused("The store URL does not parse (" + lowerFirst(e.getReason()) + " at character " + (e.getIndex() + 1) + ")");
        }
        String rawAuthority = uri.getRawAuthority();
        if (rawAuthority != null && rawAuthority.lastIndexOf('@') > 0
                && rawAuthority.substring(0, rawAuthority.lastIndexOf('@')).contains(":")) {
            throw new IllegalArgumentException(PASSWORD_REFUSAL);
        }
        if (uri.getScheme() == null || uri.isOpaque()) {
            throw refused("The store location is neither h2 nor a URL that starts with postgresql://");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw refused("The store URL's scheme '" + uri.getScheme() + "' is not one JobDeck can use; a shared store is PostgreSQL");
        }
        TlsMode tls = tlsMode(uri.getRawQuery());
        if (uri.getRawFragment() != null) {
            throw refused("The store URL has a '#' part, which is not part of a database's address");
        }
        if (rawAuthority == null) {
            throw refused("The store URL names no host");
        }
        try {
            uri = uri.parseServerAuthority();
        } catch (URISyntaxException e) {
            if (e.getReason().toLowerCase(Locale.ROOT).contains("port")) {
                throw refused(badPort(portText(rawAuthority)));
            }
            throw refused("The host '" + hostText(rawAuthority) + "' is not a host name or an IP address ("
                    + lowerFirst(e.getReason()) + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw refused("The store URL names no host");
        }
        int port = uri.getPort();
        if (port == -1 && rawAuthority.endsWith(":")) {
            throw refused(badPort(""));
        }
        if (port == 0 || port > 65535) {
            throw refused(badPort(Integer.toString(port)));
        }
        String path = uri.getPath();
        String database = path == null || path.length() <= 1 ? "" : path.substring(1);
        if (database.isEmpty()) {
            throw refused("The store URL names no database after the host");
        }
        if (database.contains("/")) {
            throw refused("The database name '" + database + "' has a '/' in it; a store URL names one database");
        }
        String user = uri.getUserInfo();
        if (user != null && user.isEmpty()) {
            throw refused("The user name before '@' is empty");
        }
        return new Postgres(uri.getHost(), port == -1 ? DEFAULT_PORT : port, database, Optional.ofNullable(user), tls);
    }

    private static TlsMode tlsMode(String rawQuery) {
        TlsMode tls = null;
        if (rawQuery == null || rawQuery.isEmpty()) {
            return TlsMode.PREFER;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (name.equalsIgnoreCase("password")) {
                throw new IllegalArgumentException(PASSWORD_REFUSAL);
            }
            if (!name.equals("sslmode")) {
                throw refused("The store URL's parameter '" + name + "' is not one JobDeck knows; only sslmode is");
            }
            if (tls != null) {
                throw refused("The store URL gives sslmode twice");
            }
            tls = TlsMode.named(value).orElseThrow(() -> refused("sslmode '" + value
                    + "' is not one of disable, prefer, require or verify-full"));
        }
        return tls;
    }

    private static String badPort(String port) {
        return "The port '" + port + "' is not a number from 1 to 65535";
    }

    /** The host and port part of an authority, after any user. */
    private static String hostText(String rawAuthority) {
        return rawAuthority.substring(rawAuthority.lastIndexOf('@') + 1);
    }

    private static String portText(String rawAuthority) {
        String hostAndPort = hostText(rawAuthority);
        int close = hostAndPort.lastIndexOf(']');
        int colon = hostAndPort.indexOf(':', Math.max(close, 0));
        return colon < 0 ? "" : hostAndPort.substring(colon + 1);
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private static IllegalArgumentException refused(String what) {
        return new IllegalArgumentException(what + "; expected " + EXPECTED_FORM + ".");
    }

    /** The embedded H2 store: a file in the data directory, served by the console to its workers over 127.0.0.1. */
    record Embedded() implements StoreLocation {

        @Override
        public String display() {
            return "embedded H2";
        }

        @Override
        public String url() {
            return "h2";
        }

        @Override
        public String toString() {
            return display();
        }
    }

    /**
     * A PostgreSQL database. {@code user} is the one the URL names, if any ({@link StoreCredentials} falls back to
     * {@code --db-user}, then the OS user); the password is never part of a location.
     */
    record Postgres(String host, int port, String database, Optional<String> user, TlsMode tls) implements StoreLocation {

        public Postgres {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(tls, "tls");
            // URI gives an IPv6 host in brackets; kept without them, so the URI constructor adds them back once.
            host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            host = host.toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                throw refused("The store URL names no host");
            }
            if (port < 1 || port > 65535) {
                throw refused(badPort(Integer.toString(port)));
            }
            if (database.isEmpty()) {
                throw refused("The store URL names no database after the host");
            }
            if (database.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw refused("The database name is " + database.getBytes(StandardCharsets.UTF_8).length
                        + " bytes long; PostgreSQL keeps at most " + MAX_NAME_BYTES);
            }
            user.ifPresent(Postgres::checkUser);
        }

        /** A user name as PostgreSQL takes it: not empty, at most 63 bytes, no control characters. */
        public static void checkUser(String user) {
            if (user.isEmpty()) {
                throw new IllegalArgumentException("The database user name is empty.");
            }
            if (user.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("The database user name is " + user.getBytes(StandardCharsets.UTF_8).length
                        + " bytes long; PostgreSQL keeps at most " + MAX_NAME_BYTES + ".");
            }
            if (user.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("The database user name has a control character in it.");
            }
        }

        /** The same location reached as {@code user} (or as nobody in particular). */
        public Postgres withUser(Optional<String> newUser) {
            return new Postgres(host, port, database, newUser, tls);
        }

        /** The same database (host, port and name), whoever logs in to it and however. */
        public boolean sameDatabase(Postgres other) {
            return host.equals(other.host) && port == other.port && database.equals(other.database);
        }

        @Override
        public String display() {
            return uri(user.orElse(null), null);
        }

        @Override
        public String url() {
            return uri(user.orElse(null), "sslmode=" + tls.word());
        }

        /**
         * The PostgreSQL JDBC driver's URL for this database, without user or password (those go to the pool as
         * properties): the TLS mode, the application name the server lists in {@code pg_stat_activity}, TCP
         * keep-alives so a host whose peer vanished finds out, and a 10 s limit on connecting.
         */
        public String jdbcUrl() {
            String hostPart = host.contains(":") ? "[" + host + "]" : host;
            // The driver URL-decodes the database name, so it is URL-encoded here.
            return "jdbc:postgresql://" + hostPart + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8)
                    + "?sslmode=" + tls.word() + "&ApplicationName=JobDeck&tcpKeepAlive=true&connectTimeout="
                    + CONNECT_TIMEOUT_SECONDS;
        }

        private String uri(String userInfo, String query) {
            try {
                return new URI("postgresql", userInfo, host, port, "/" + database, query, null).toASCIIString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException("A checked location does not make a URI: " + e.getReason(), e);
            }
        }

        @Override
        public String toString() {
            return display() + " (TLS: " + tls.word() + ")";
        }
    }

    /**
     * TLS to the database, with PostgreSQL's {@code sslmode} words. {@link #PREFER}, the default, encrypts whenever
     * the server offers TLS but checks no certificate; {@link #VERIFY_FULL} also checks the server's certificate and
     * name.
     */
    enum TlsMode {
        DISABLE("disable"), PREFER("prefer"), REQUIRE("require"), VERIFY_FULL("verify-full");

        private final String word;

        TlsMode(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Optional<TlsMode> named(String word) {
            for (TlsMode mode : values()) {
                if (mode.word.equalsIgnoreCase(word)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }
}
