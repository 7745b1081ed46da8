package dev.jobdeck.core.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Who logs in to a PostgreSQL store, and with which password. The user is the one the location names (from the URL,
 * from {@code --db-user}, or remembered by the data directory), else the OS user, as {@code psql} does. The password
 * comes from standard input ({@code --password-stdin}) when given, else from the {@link Vault}: the OS keyring or the
 * encrypted secrets file. Never from the command line or the environment (decision 36).
 *
 * <p>The password never leaves this object except through {@link #password()}: {@link #toString()} says only whether
 * there is one and where it came from.
 */
public final class StoreCredentials {

    /** Where a password came from, as {@code jobdeck store show} says it. */
    public enum Source {
        STANDARD_INPUT, SAVED, NONE
    }

    /**
     * Where the store's password is kept between starts. Implemented over {@code Secrets} in {@code core.settings},
     * so the store does not depend on settings. Its messages never contain the password.
     */
    public interface Vault {

        /** The name the password is kept under, per data directory. */
        String NAME = "store.password";

        Optional<String> read() throws StoreException;

        void save(String password) throws StoreException;

        void delete() throws StoreException;

        /** Where it keeps passwords, in words: "the OS keyring (…)" or "an encrypted file only you can read, …". */
        String describe();
    }

    private final String user;
    private final String password;
    private final Source source;

    private StoreCredentials(String user, String password, Source source) {
        this.user = Objects.requireNonNull(user, "user");
        this.password = password;
        this.source = source;
    }

    /**
     * The credentials for {@code location}: its user or {@code osUser}; the password from {@code fromStandardInput}
     * when present (and then saved in {@code vault}, so later starts need no standard input), else the saved one.
     */
    public static StoreCredentials resolve(StoreLocation.Postgres location, Optional<String> fromStandardInput,
                                           Vault vault, String osUser) throws StoreException {
        String user = location.user().orElse(osUser);
        if (fromStandardInput.isPresent()) {
            String password = fromStandardInput.get();
            if (password.isEmpty()) {
                throw new IllegalArgumentException("--password-stdin read an empty password from standard input.");
            }
            vault.save(password);
            return new StoreCredentials(user, password, Source.STANDARD_INPUT);
        }
        Optional<String> saved = vault.read();
        return new StoreCredentials(user, saved.orElse(null), saved.isPresent() ? Source.SAVED : Source.NONE);
    }

    public String user() {
        return user;
    }

    /** The password, if there is one; a server that trusts the host needs none. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    public Source source() {
        return source;
    }

    @Override
    public String toString() {
        return "StoreCredentials[user=" + user + ", password=" + switch (source) {
            case STANDARD_INPUT -> "(from standard input)";
            case SAVED -> "(saved)";
            case NONE -> "(none)";
        } + "]";
    }
}
