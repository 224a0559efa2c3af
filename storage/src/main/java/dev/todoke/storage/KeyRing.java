package dev.todoke.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys (KEKs): 256-bit AES keys, each with an id, one of them primary. New data
 * keys are wrapped with the primary; every stored object names the id of the KEK that wrapped its data
 * key, so after a rotation (a new primary) the old KEKs stay in the ring to read older objects and
 * nothing is re-encrypted. Immutable and thread-safe.
 *
 * <p>Data keys are wrapped with AES-256-GCM (random 96-bit nonce), with the object header as
 * associated data: a wrapped key cannot be moved to another header.
 */
public final class KeyRing {

    /** Bytes of a wrapped data key: nonce, encrypted 32-byte key, tag. */
    static final int WRAPPED_KEY_LENGTH = 12 + 32 + 16;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String PRIMARY = "primary";
    private static final String KEK_PREFIX = "kek.";

    private final Map<String, SecretKey> keks;
    private final String primaryId;

    private KeyRing(Map<String, SecretKey> keks, String primaryId) {
        this.keks = Collections.unmodifiableMap(keks);
        this.primaryId = primaryId;
    }

    /**
     * A key ring from configuration.
     *
     * @param base64KeysById KEK ids (letters, digits, {@code . _ -}, at most 64) to base64-encoded
     *     256-bit keys
     * @param primaryId the id of the KEK that wraps new data keys
     * @throws IllegalArgumentException naming the offending id when the ring is empty, an id or key is
     *     malformed or the primary is not in the ring (the message never contains key material)
     */
    public static KeyRing of(Map<String, String> base64KeysById, String primaryId) {
        if (base64KeysById == null || base64KeysById.isEmpty()) {
            throw new IllegalArgumentException("the key ring is empty: configure at least one key-encryption key");
        }
        Map<String, SecretKey> keks = new LinkedHashMap<>();
        base64KeysById.forEach((id, base64) -> {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException(
                        "key-encryption key id '" + id + "' is invalid: use 1-64 letters, digits, '.', '_' or '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder()
                        .decode(Objects.requireNonNullElse(base64, "").trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key-encryption key '" + id + "' is not valid base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("key-encryption key '" + id + "' must be 32 bytes (256 bits), got "
                        + key.length + " bytes; generate one with: openssl rand -base64 32");
            }
            keks.put(id, new SecretKeySpec(key, "AES"));
        });
        if (primaryId == null || !keks.containsKey(primaryId)) {
            throw new IllegalArgumentException(
                    "primary key-encryption key '" + primaryId + "' is not in the key ring " + keks.keySet());
        }
        return new KeyRing(keks, primaryId);
    }

    /**
     * Loads the key file, or, when it does not exist yet, generates one KEK and writes it there readable
     * by the owner only ({@code rw-------}, through {@link SecretFile}: never seen half-written). For the embedded default; production configures KEKs
     * explicitly (for example from a Kubernetes Secret).
     *
     * <p>The file is a properties file: {@code primary=<id>} and one {@code kek.<id>=<base64>} per KEK.
     *
     * @throws StorageException when the file cannot be read or written
     * @throws IllegalArgumentException when the file's content is not a valid key ring
     */
    public static KeyRing loadOrGenerate(Path keyFile, SecureRandom random) {
        try {
            SecretFile.readOrCreate(keyFile, () -> newKeyFile(random));
        } catch (IOException e) {
            throw new StorageException("cannot write key file " + keyFile + ": " + e, e);
        }
        return load(keyFile);
    }

    /** Loads a key file written by {@link #loadOrGenerate} (or by hand in the same format). */
    public static KeyRing load(Path keyFile) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(keyFile)) {
            properties.load(in);
        } catch (IOException e) {
            throw new StorageException("cannot read key file " + keyFile + ": " + e, e);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(KEK_PREFIX)) {
                keys.put(name.substring(KEK_PREFIX.length()), properties.getProperty(name));
            }
        }
        try {
            return of(keys, properties.getProperty(PRIMARY));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static byte[] newKeyFile(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] idBytes = new byte[4];
        random.nextBytes(idBytes);
        String id = "local-" + HexFormat.of().formatHex(idBytes);
        String content = "# Todoke key-encryption keys. Secret: whoever has this file and the blobs can read them.\n"
                + "# Back it up; losing it makes every stored attachment unreadable. See docs/storage.md.\n"
                + PRIMARY + "=" + id + "\n"
                + KEK_PREFIX + id + "=" + Base64.getEncoder().encodeToString(key) + "\n";
        return content.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The id of the KEK that wraps new data keys. */
    public String primaryId() {
        return primaryId;
    }

    /** The ids of all KEKs in the ring. */
    public Set<String> ids() {
        return keks.keySet();
    }

    /**
     * Wraps a data key (or a small value, {@link SealedValues}) with the primary KEK: nonce, ciphertext,
     * tag.
     */
    byte[] wrap(byte[] dataKey, byte[] associatedData, SecureRandom random) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keks.get(primaryId), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData);
            byte[] wrapped = new byte[12 + dataKey.length + 16];
            System.arraycopy(nonce, 0, wrapped, 0, 12);
            cipher.doFinal(dataKey, 0, dataKey.length, wrapped, 12);
            return wrapped;
        } catch (GeneralSecurityException e) {
            throw new StorageException("cannot wrap data key: " + e.getMessage(), e);
        }
    }

    /**
     * Unwraps a data key.
     *
     * @throws BlobIntegrityException when the KEK is not in the ring, or is not the key that wrapped it,
     *     or the header was changed
     */
    byte[] unwrap(String kekId, byte[] wrapped, byte[] associatedData) {
        SecretKey kek = keks.get(kekId);
        if (kek == null) {
            throw new BlobIntegrityException("the blob's data key was wrapped with key-encryption key '" + kekId
                    + "', which is not in the key ring " + keks.keySet());
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, wrapped, 0, 12));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(wrapped, 12, wrapped.length - 12);
        } catch (AEADBadTagException e) {
            throw new BlobIntegrityException("cannot unwrap the blob's data key with key-encryption key '" + kekId
                    + "': the configured key is not the one it was written with, or the blob header was altered");
        } catch (GeneralSecurityException e) {
            throw new StorageException("cannot unwrap data key: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "KeyRing[primary=" + primaryId + ", ids=" + keks.keySet() + "]";
    }
}
