package dev.todoke.web;

import dev.todoke.TodokeProperties;
import dev.todoke.storage.SecretFile;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
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
                ? SecretFile.base64KeyFile(
                        core.dataDir().resolve("keys").resolve(FILE_NAME), "todoke.web.secret", MIN_BYTES, random)
                : SecretFile.base64Key(properties.secret(), "todoke.web.secret", MIN_BYTES);
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
}
