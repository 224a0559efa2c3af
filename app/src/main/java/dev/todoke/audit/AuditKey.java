package dev.todoke.audit;

import dev.todoke.TodokeProperties;
import dev.todoke.storage.SecretFile;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
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
                        ? SecretFile.base64KeyFile(
                                core.dataDir().resolve("keys").resolve(FILE_NAME),
                                "todoke.audit.key",
                                MIN_BYTES,
                                random)
                        : SecretFile.base64Key(properties.key(), "todoke.audit.key", MIN_BYTES));
    }

    private AuditKey(byte[] key) {
        this.key = key.clone();
    }

    /** A key from base64 text (tests and tools); the same rules as {@code todoke.audit.key}. */
    public static AuditKey of(String base64) {
        return new AuditKey(SecretFile.base64Key(base64, "todoke.audit.key", MIN_BYTES));
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
}
