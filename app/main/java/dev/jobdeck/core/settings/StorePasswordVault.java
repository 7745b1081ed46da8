package dev.jobdeck.core.settings;

import dev.jobdeck.core.store.StoreCredentials;
import dev.jobdeck.core.store.StoreException;

import java.util.Objects;
import java.util.Optional;

/** The PostgreSQL store's password among the data directory's {@link Secrets}, under {@code store.password}. */
public final class StorePasswordVault implements StoreCredentials.Vault {

    private final Secrets secrets;

    public StorePasswordVault(Secrets secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    @Override
    public Optional<String> read() throws StoreException {
        try {
            return secrets.get(NAME).filter(password -> !password.isEmpty());
        } catch (Secrets.SecretsException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    public void save(String password) throws StoreException {
        try {
            secrets.put(NAME, password);
        } catch (Secrets.SecretsException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    public void delete() throws StoreException {
        try {
            secrets.delete(NAME);
        } catch (Secrets.SecretsException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return secrets.describe();
    }
}
