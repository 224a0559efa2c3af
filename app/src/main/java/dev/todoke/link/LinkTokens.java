package dev.todoke.link;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Bearer tokens for links ({@code /d/{token}}), management pages ({@code /s/{token}}) and web sessions:
 * 256 bits from {@link SecureRandom}, base64url without padding (43 characters). Only {@link #hash} of a
 * token is ever stored; a token is looked up by its hash. Thread-safe.
 */
@Component
public class LinkTokens {

    private static final int TOKEN_BYTES = 32;

    private final SecureRandom random;

    public LinkTokens(SecureRandom random) {
        this.random = random;
    }

    /** A new random token. */
    public String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of the token's characters, lowercase hex: what the database keeps. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The hash of the text when it could be a token of ours, else empty (no database look-up needed). */
    public static Optional<String> hashIfToken(String candidate) {
        return looksLikeToken(candidate) ? Optional.of(hash(candidate)) : Optional.empty();
    }

    /** True when the text could be a token of ours (cheap check before any database look-up). */
    public static boolean looksLikeToken(String candidate) {
        return candidate != null
                && candidate.length() >= 22
                && candidate.length() <= 64
                && candidate
                        .chars()
                        .allMatch(c -> (c >= 'A' && c <= 'Z')
                                || (c >= 'a' && c <= 'z')
                                || (c >= '0' && c <= '9')
                                || c == '-'
                                || c == '_');
    }
}
