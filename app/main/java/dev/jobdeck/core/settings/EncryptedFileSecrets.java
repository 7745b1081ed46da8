package dev.jobdeck.core.settings;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;

/**
 * Secrets encrypted with AES-256-GCM in {@code secrets.enc}, under a random key in {@code secrets.key};
 * both files readable by their owner only. Without an OS keyring this is what a desktop app can do: it
 * keeps the password out of the database, backups of it, exports and logs, and away from other users
 * of the machine. It does not protect against the same user's own processes (see docs/decisions).
 */
final class EncryptedFileSecrets implements Secrets {

    static final String KEY_FILE = "secrets.key";
    static final String SECRETS_FILE = "secrets.enc";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path keyFile;
    private final Path secretsFile;
    private final SecureRandom random = new SecureRandom();

    EncryptedFileSecrets(Path directory) {
        this.keyFile = directory.resolve(KEY_FILE);
        this.secretsFile = directory.resolve(SECRETS_FILE);
    }

    @Override
    public synchronized Optional<String> get(String name) throws SecretsException {
        try {
            String sealed = read().getProperty(name);
            if (sealed == null) {
                return Optional.empty();
            }
            byte[] bytes = Base64.getDecoder().decode(sealed);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            byte[] iv = new byte[IV_BYTES];
            buffer.get(iv);
            byte[] cipherText = new byte[buffer.remaining()];
            buffer.get(cipherText);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(false), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(cipher.doFinal(cipherText), StandardCharsets.UTF_8));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretsException("Cannot read " + name + " from " + secretsFile + " (was " + KEY_FILE
                    + " replaced or the file damaged?): " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public synchronized void put(String name, String secret) throws SecretsException {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(true), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] cipherText = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = ByteBuffer.allocate(iv.length + cipherText.length).put(iv).put(cipherText).array();
            Properties all = read();
            all.setProperty(name, Base64.getEncoder().encodeToString(sealed));
            write(all);
        } catch (IOException | GeneralSecurityException e) {
            throw new SecretsException("Cannot store " + name + " in " + secretsFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void delete(String name) throws SecretsException {
        try {
            Properties all = read();
            if (all.remove(name) != null) {
                write(all);
            }
        } catch (IOException e) {
            throw new SecretsException("Cannot remove " + name + " from " + secretsFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "an encrypted file only you can read, " + secretsFile;
    }

    private SecretKeySpec key(boolean create) throws IOException {
        if (!Files.exists(keyFile)) {
            if (!create) {
                throw new IOException(keyFile + " is missing");
            }
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            writeOwnerOnly(keyFile, Base64.getEncoder().encodeToString(fresh) + "\n");
        }
        byte[] key = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.UTF_8).strip());
        if (key.length != 32) {
            throw new IOException(keyFile + " does not hold a 256-bit key");
        }
        return new SecretKeySpec(key, "AES");
    }

    private Properties read() throws IOException {
        Properties all = new Properties();
        if (Files.exists(secretsFile)) {
            all.load(new StringReader(Files.readString(secretsFile, StandardCharsets.ISO_8859_1)));
        }
        return all;
    }

    private void write(Properties all) throws IOException {
        StringWriter text = new StringWriter();
        all.store(text, "JobDeck secrets, AES-256-GCM under " + KEY_FILE + "; do not edit");
        writeOwnerOnly(secretsFile, text.toString());
    }

    /** Writes a sibling file created owner-only, then moves it over the target, so no reader sees half a file. */
    private static void writeOwnerOnly(Path target, String content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            // Windows: the data directory sits in the user's profile, which is private already.
            Files.createFile(temp);
        }
        Files.writeString(temp, content, StandardCharsets.ISO_8859_1);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
