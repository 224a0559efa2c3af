package dev.todoke.web;

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
import org.springframework.stereotype.Component;

/**
 * The server secret behind passcode hashes and CSRF tokens. Taken from {@code todoke.web.secret} (base64,
 * at least 32 bytes), or generated once into {@code ${todoke.data-dir}/keys/web-secret} readable by the
 * owner only (through {@link SecretFile}, so a second replica on the same disk never reads it half-written). Each use gets its own key derived with HMAC-SHA256 over a purpose label, so one use never
 * sees another's key. Thread-safe: {@link #mac} returns a new {@link Mac} each call.
 */
@Component
public class ServerSecret {

    static final String FILE_NAME = "web-secret";
    private static final int MIN_BYTES = 32;

    private final byte[] master;

    public ServerSecret(WebProperties properties, TodokeProperties core, SecureRandom random) {
        this.master = properties.secret().isBlank()
                ? loadOrCreate(core.dataDir().resolve("keys"), random)
                : decode(properties.secret());
    }

    /** A fresh HMAC-SHA256 keyed with the key for {@code purpose} (for example "otp" or "csrf"). */
    public Mac mac(String purpose) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(master, "HmacSHA256"));
            byte[] key = derive.doFinal(("todoke/" + purpose).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static byte[] decode(String configured) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(configured.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("todoke.web.secret must be base64");
        }
        if (bytes.length < MIN_BYTES) {
            throw new IllegalStateException(
                    "todoke.web.secret must hold at least 32 bytes (base64 of 32 random bytes)");
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
            throw new UncheckedIOException("cannot read or create the web secret in " + dir, e);
        }
    }
}
