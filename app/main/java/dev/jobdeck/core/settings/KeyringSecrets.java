package dev.jobdeck.core.settings;

import com.github.javakeyring.BackendNotSupportedException;
import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;

import java.util.Optional;

/** Secrets in the OS keyring (Secret Service, macOS Keychain, Windows Credential Manager) via java-keyring. */
final class KeyringSecrets implements Secrets {

    private static final System.Logger LOG = System.getLogger(KeyringSecrets.class.getName());

    private final Keyring keyring;
    private final String service;

    private KeyringSecrets(Keyring keyring, String service) {
        this.keyring = keyring;
        this.service = service;
    }

    /** The keyring, or empty when this OS session has none JobDeck can use. */
    static Optional<KeyringSecrets> open(String service) {
        try {
            return Optional.of(new KeyringSecrets(Keyring.create(), service));
        } catch (BackendNotSupportedException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.INFO, "No OS keyring available ({0}); secrets go to an encrypted file", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> get(String name) throws SecretsException {
        try {
            return Optional.ofNullable(keyring.getPassword(service, name));
        } catch (PasswordAccessException e) {
            // java-keyring reports a missing entry the same way as an unreadable one.
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new SecretsException("Cannot read " + name + " from the OS keyring: " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String name, String secret) throws SecretsException {
        try {
            keyring.setPassword(service, name, secret);
        } catch (PasswordAccessException | RuntimeException e) {
            throw new SecretsException("Cannot store " + name + " in the OS keyring: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String name) throws SecretsException {
        if (get(name).isEmpty()) {
            return;
        }
        try {
            keyring.deletePassword(service, name);
        } catch (PasswordAccessException | RuntimeException e) {
            throw new SecretsException("Cannot remove " + name + " from the OS keyring: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "the OS keyring (" + keyring.getKeyringStorageType() + ")";
    }
}
