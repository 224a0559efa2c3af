package dev.todoke.audit;

import dev.todoke.TodokeProperties;
import dev.todoke.storage.SecretFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The key of the audit chain: {@code todoke.audit.key} (base64, at least 32 bytes), or in dev mode generated
 * once into {@code ${todoke.data-dir}/keys/audit-key}, readable by the owner only (through {@link SecretFile},
 * like the web secret). Production mode refuses to start without the property (startup/ProductionChecks).
 * Thread-safe: {@link #mac} returns a new {@link Mac} each call. Never printed.
 */
@Component
public final class AuditKey {

    static final String FILE_NAME = "audit-key";
    private static final int MIN_BYTES = 32;

    private final byte[] key;

    @Autowired
    AuditKey(AuditProperties properties, TodokeProperties core, SecureRandom random) {
        this(
                properties.key().isBlank()
                        ? loadOrCreate(core.dataDir().resolve("keys"), random)
                        : decode(properties.key()));
    }

    private AuditKey(byte[] key) {
        this.key = key.clone();
    }

    /** A key from base64 text (tests and tools); the same rules as {@code todoke.audit.key}. */
    public static AuditKey of(String base64) {
        return new AuditKey(decode(base64));
    }

    /** A fresh HMAC-SHA256 keyed with the audit key. */
    Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "AuditKey[(hidden)]";
    }

    private static byte[] decode(String configured) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(configured.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("todoke.audit.key must be base64");
        }
        if (bytes.length < MIN_BYTES) {
            throw new IllegalStateException("todoke.audit.key must hold at least 32 bytes (base64 of 32 random bytes)");
        }
        return bytes;
    }

    private static byte[] loadOrCreate(Path dir, SecureRandom random) {
        Path file = dir.resolve(FILE_NAME);
        try {
            byte[] text = SecretFile.readOrCreate(file, () -> {
                byte[] fresh = new byte[MIN_BYTES];
                random.nextBytes(fresh);
                return (Base64.getEncoder().encodeToString(fresh) + "\n").getBytes(StandardCharsets.US_ASCII);
            });
            return decode(new String(text, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the audit key in " + dir, e);
        }
    }
}
