package dev.jobdeck.core.settings;

import dev.jobdeck.core.store.DataDirectory;

import java.util.Map;
import java.util.Optional;

/**
 * Where JobDeck keeps secrets such as the SMTP password: the OS keyring where there is one, otherwise
 * an encrypted, owner-only file in the data directory. Never the database, job arguments, logs or exports.
 */
public interface Secrets {

    /** System property that forces a backend: {@code keyring}, {@code file}, or {@code auto} (the default). */
    String BACKEND_PROPERTY = "jobdeck.secrets";

    Optional<String> get(String name) throws SecretsException;

    void put(String name, String secret) throws SecretsException;

    void delete(String name) throws SecretsException;

    /** Where secrets go, in words for the settings screen, e.g. "the OS keyring" or "an encrypted file …". */
    String describe();

    /**
     * The keyring if the OS offers one (on Linux: a Secret Service reachable over the session D-Bus),
     * else the encrypted file in {@code directory}.
     */
    static Secrets forDirectory(DataDirectory directory, Map<String, String> environment) {
        String wanted = System.getProperty(BACKEND_PROPERTY, "auto");
        EncryptedFileSecrets file = new EncryptedFileSecrets(directory.path());
        if (wanted.equals("file")) {
            return file;
        }
        boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
        if (wanted.equals("auto") && linux && environment.getOrDefault("DBUS_SESSION_BUS_ADDRESS", "").isBlank()) {
            // No session bus, so no Secret Service: do not make every start wait for a D-Bus timeout.
            return file;
        }
        return KeyringSecrets.open("JobDeck " + directory.path()).map(Secrets.class::cast).orElse(file);
    }

    /** A secret could not be read or written; the message says where and why, never the secret. */
    final class SecretsException extends Exception {

        private static final long serialVersionUID = 1L;

        public SecretsException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
